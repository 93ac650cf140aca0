using Flotilla.Client.Informers;
using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using k8s.Models;

namespace Flotilla.Scheduler;

/// <summary>
/// Upstream's addAllEventHandlers: bound pods feed the cache (and may help waiting pods), unbound pods of this
/// scheduler feed the queue, nodes feed the cache and wake the pods their change may help.
/// </summary>
internal static class SchedulerEventHandlers
{
    public static void Register(Scheduler scheduler, SharedInformer<V1Pod> pods, SharedInformer<V1Node> nodes, SharedInformerFactory informers)
    {
        var registered = PluginEvents.From(scheduler.Framework.Plugins.All).Values.SelectMany(e => e).Select(e => e.Resource).ToHashSet();
        Wake<V1PersistentVolumeClaim>(scheduler, informers, registered, EventResource.PersistentVolumeClaim);
        Wake<V1PersistentVolume>(scheduler, informers, registered, EventResource.PersistentVolume);
        Wake<V1StorageClass>(scheduler, informers, registered, EventResource.StorageClass);
        Wake<V1Namespace>(scheduler, informers, registered, EventResource.Namespace);

        var cache = scheduler.Cache;
        var queue = scheduler.Queue;
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            Filter = p => !string.IsNullOrEmpty(p.Spec?.NodeName),
            OnAdd = (p, _) =>
            {
                cache.AddPod(p);
                queue.AssignedPodAdded(p);
            },
            OnUpdate = (old, p) =>
            {
                cache.UpdatePod(p);
                foreach (var change in PodChanges.SchedulingPropertiesChange(p, old))
                {
                    queue.AssignedPodUpdated(old, p, change);
                }
            },
            OnDelete = p =>
            {
                cache.RemovePod(p);
                queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.AssignedPod, ActionType.Delete), p, null);
            },
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            Filter = p => string.IsNullOrEmpty(p.Spec?.NodeName) && (p.Spec?.SchedulerName ?? SchedulerOptions.DefaultSchedulerName) == scheduler.Options.SchedulerName,
            OnAdd = (p, _) => queue.Add(p),
            OnUpdate = (old, p) =>
            {
                // Our own assumed pod's status writes are not news (upstream skipPodUpdate).
                if (!cache.IsAssumed(p))
                {
                    queue.Update(old, p);
                }
            },
            OnDelete = queue.Delete,
        });
        nodes.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (n, _) =>
            {
                cache.AddOrUpdateNode(n);
                queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.Node, ActionType.Add), null, n);
            },
            OnUpdate = (old, n) =>
            {
                cache.AddOrUpdateNode(n);
                if (NodeChange(old, n) is var change and not ActionType.None)
                {
                    queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.Node, change), old, n);
                }
            },
            OnDelete = cache.RemoveNode,
        });
    }

    /// <summary>Changes to objects plugins registered for move the pods those plugins rejected.</summary>
    private static void Wake<T>(Scheduler scheduler, SharedInformerFactory informers, HashSet<EventResource> registered, EventResource resource)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        if (!registered.Contains(resource))
        {
            return;
        }

        var queue = scheduler.Queue;
        informers.Informer<T>().AddEventHandler(new ResourceEventHandler<T>
        {
            OnAdd = (o, initial) =>
            {
                if (!initial)
                {
                    queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(resource, ActionType.Add), null, o);
                }
            },
            OnUpdate = (old, o) => queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(resource, ActionType.Update), old, o),
            OnDelete = o => queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(resource, ActionType.Delete), o, null),
        });
    }

    /// <summary>Which scheduling-relevant parts of a node changed (upstream nodeSchedulingPropertiesChange).</summary>
    internal static ActionType NodeChange(V1Node old, V1Node now)
    {
        var change = ActionType.None;
        if (!SameQuantities(old.Status?.Allocatable, now.Status?.Allocatable))
        {
            change |= ActionType.UpdateNodeAllocatable;
        }

        if (!SameMap(old.Metadata?.Labels, now.Metadata?.Labels))
        {
            change |= ActionType.UpdateNodeLabel;
        }

        if (old.Spec?.Unschedulable != now.Spec?.Unschedulable || !SameTaints(old.Spec?.Taints, now.Spec?.Taints))
        {
            change |= ActionType.UpdateNodeTaint;
        }

        if (!SameConditions(old.Status?.Conditions, now.Status?.Conditions))
        {
            change |= ActionType.UpdateNodeCondition;
        }

        if (!SameMap(old.Metadata?.Annotations, now.Metadata?.Annotations))
        {
            change |= ActionType.UpdateNodeAnnotation;
        }

        return change;
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, string>()).All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value);

    private static bool SameQuantities(IDictionary<string, ResourceQuantity>? a, IDictionary<string, ResourceQuantity>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a ?? new Dictionary<string, ResourceQuantity>()).All(p => b!.TryGetValue(p.Key, out var v) && v.ToDecimal() == p.Value.ToDecimal());

    private static bool SameTaints(IList<V1Taint>? a, IList<V1Taint>? b) =>
        (a ?? []).Select(t => (t.Key, t.Value, t.Effect)).SequenceEqual((b ?? []).Select(t => (t.Key, t.Value, t.Effect)));

    // Heartbeat times change every update; only the status of each condition matters.
    private static bool SameConditions(IList<V1NodeCondition>? a, IList<V1NodeCondition>? b) =>
        (a ?? []).Select(c => (c.Type, c.Status)).SequenceEqual((b ?? []).Select(c => (c.Type, c.Status)));
}
