namespace Flotilla.Scheduler;

/// <summary>kube-scheduler's settings that Flotilla honours (KubeSchedulerConfiguration v1 names and defaults).</summary>
public sealed record SchedulerOptions
{
    public const string DefaultSchedulerName = "default-scheduler";

    /// <summary>Pods whose <c>spec.schedulerName</c> is this are ours; others are left alone.</summary>
    public string SchedulerName { get; init; } = DefaultSchedulerName;

    /// <summary>0 is upstream's adaptive default: 50% minus 1% per 125 nodes, at least 5%, never fewer than 100 nodes.</summary>
    public int PercentageOfNodesToScore { get; init; }

    public TimeSpan PodInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan PodMaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Seeds node tie-breaking (tests); null is random.</summary>
    public int? Seed { get; init; }
}
