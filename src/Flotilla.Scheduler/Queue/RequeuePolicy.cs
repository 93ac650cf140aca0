using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// Decides whether cluster events may make a pod that failed schedulable (upstream isPodWorthRequeuing), from the
/// events each plugin registered. Without queueing hints, an event a rejecting plugin registered always counts.
/// </summary>
internal sealed class RequeuePolicy
{
    private static readonly ClusterEvent PodScaleDown = new(EventResource.Pod, ActionType.UpdatePodScaleDown);

    private readonly IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> _pluginEvents;

    /// <param name="pluginEvents">A plugin missing here cares about every event, as upstream treats plugins without EnqueueExtensions.</param>
    public RequeuePolicy(IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> pluginEvents) => _pluginEvents = pluginEvents;

    /// <summary>Whether the event is an assigned pod shrinking, which frees room whatever rejected a pod.</summary>
    public static bool IsScaleDown(ClusterEvent clusterEvent) => Matches(PodScaleDown, clusterEvent);

    /// <summary>What <paramref name="clusterEvent"/> means for the pod; <paramref name="newObject"/> is the object it carried.</summary>
    public QueueingStrategy ForEvent(QueuedPodInfo info, ClusterEvent clusterEvent, object? newObject)
    {
        // No plugin rejected it: an error (e.g. the binding failed), so any chance is worth a retry.
        if (info.UnschedulablePlugins.Count == 0 && info.PendingPlugins.Count == 0)
        {
            return QueueingStrategy.AfterBackoff;
        }

        // The pod itself changed while it was being scheduled: as an update of a parked pod, worth a retry.
        if (newObject is V1Pod changed && changed.Metadata?.Uid == info.Uid)
        {
            return QueueingStrategy.AfterBackoff;
        }

        var strategy = QueueingStrategy.Skip;
        foreach (var plugin in info.UnschedulablePlugins.Concat(info.PendingPlugins))
        {
            if (!Interested(plugin, clusterEvent))
            {
                continue;
            }

            if (info.PendingPlugins.Contains(plugin))
            {
                return QueueingStrategy.Immediately;
            }

            strategy = QueueingStrategy.AfterBackoff;
        }

        return strategy;
    }

    /// <summary>The strongest strategy any of the events gives the pod.</summary>
    public QueueingStrategy ForEvents(QueuedPodInfo info, IEnumerable<InFlightEvent> events)
    {
        var strategy = QueueingStrategy.Skip;
        foreach (var e in events)
        {
            var forEvent = ForEvent(info, e.Event, e.NewObject);
            if (forEvent == QueueingStrategy.Immediately)
            {
                return forEvent;
            }

            if (forEvent == QueueingStrategy.AfterBackoff)
            {
                strategy = forEvent;
            }
        }

        return strategy;
    }

    /// <summary>
    /// Whether a registered event covers one that happened; as upstream, <see cref="EventResource.Pod"/> stands for
    /// every pod, bound or not.
    /// </summary>
    private static bool Matches(ClusterEvent registered, ClusterEvent happened) =>
        registered.Covers(happened)
        || (registered.Resource == EventResource.Pod && happened.Resource == EventResource.AssignedPod && (registered.Action & happened.Action) != 0);

    private bool Interested(string plugin, ClusterEvent happened) =>
        !_pluginEvents.TryGetValue(plugin, out var registered) || registered.Any(r => Matches(r, happened));
}
