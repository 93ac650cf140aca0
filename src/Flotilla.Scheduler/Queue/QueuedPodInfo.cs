using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// A pending pod with its queueing history (upstream framework.QueuedPodInfo). The queue owns it while the pod
/// waits; between <see cref="ISchedulingQueue.PopAsync"/> and the end of the cycle the scheduler owns it and records
/// which plugins rejected the pod before handing it back.
/// </summary>
public sealed class QueuedPodInfo
{
    public QueuedPodInfo(PodInfo podInfo, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(podInfo);
        PodInfo = podInfo;
        Key = podInfo.Key;
        Timestamp = timestamp;
    }

    public PodInfo PodInfo { get; internal set; }

    public V1Pod Pod => PodInfo.Pod;

    /// <summary><c>namespace/name</c>: how the queue finds the pod (an update never changes it).</summary>
    public string Key { get; }

    public string Uid => Pod.Metadata?.Uid ?? string.Empty;

    /// <summary>When the pod was added to the queue, or last came back after a failed attempt.</summary>
    public DateTimeOffset Timestamp { get; internal set; }

    /// <summary>When the pod first entered the active queue (the start of its scheduling latency); null while gated.</summary>
    public DateTimeOffset? InitialAttemptTimestamp { get; internal set; }

    /// <summary>Scheduling attempts so far, counting the one in progress; the back-off doubles with each.</summary>
    public int Attempts { get; internal set; }

    /// <summary>Plugins that rejected the pod in its last attempt: an event one of them registered may make it fit.</summary>
    public HashSet<string> UnschedulablePlugins { get; } = new(StringComparer.Ordinal);

    /// <summary>Plugins that answered Pending (waiting on something they expect): their events requeue the pod without back-off.</summary>
    public HashSet<string> PendingPlugins { get; } = new(StringComparer.Ordinal);

    /// <summary>Held back by <c>spec.schedulingGates</c> (upstream's SchedulingGates PreEnqueue plugin).</summary>
    public bool Gated => Pod.Spec?.SchedulingGates is { Count: > 0 };

    /// <summary>Breaks <see cref="Timestamp"/> ties first-come first-served, so equal pods pop in arrival order.</summary>
    internal long Sequence { get; set; }

    /// <summary>When the back-off in force while the pod sits in the backoff queue ends; its order there.</summary>
    internal DateTimeOffset BackoffExpiry { get; set; }
}
