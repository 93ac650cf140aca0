using Prometheus;

namespace Flotilla.Scheduler.Queue;

/// <summary>The queue's settings, defaulted as kube-scheduler's (podInitialBackoffSeconds, podMaxBackoffSeconds, podMaxInUnschedulablePodsDuration).</summary>
public sealed record SchedulingQueueOptions
{
    public TimeSpan PodInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PodMaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a pod may wait for an event before it is retried anyway.</summary>
    public TimeSpan PodMaxInUnschedulablePodsDuration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Where the queue's metrics are registered; the process-wide default registry when null.</summary>
    public IMetricFactory? Metrics { get; init; }

    /// <summary>A namespace's labels, for affinity terms with a namespaceSelector when an assigned pod arrives; none known when null.</summary>
    public Func<string, IReadOnlyDictionary<string, string>?>? NamespaceLabels { get; init; }
}
