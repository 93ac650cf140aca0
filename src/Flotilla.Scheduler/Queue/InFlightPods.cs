using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// Pods being scheduled and the cluster events seen meanwhile (upstream inFlightPods/inFlightEvents): one list in
/// arrival order holding each pod's start and every event after it, so a pod that fails learns exactly which events
/// happened during its attempt. Events older than every in-flight pod are dropped. Not thread-safe.
/// </summary>
internal sealed class InFlightPods
{
    // Entries are V1Pod (a pod's attempt started) or InFlightEvent.
    private readonly LinkedList<object> _entries = new();
    private readonly Dictionary<string, LinkedListNode<object>> _pods = new(StringComparer.Ordinal);

    public int Count => _pods.Count;

    public bool Contains(string uid) => _pods.ContainsKey(uid);

    /// <summary>Starts tracking the pod; false when it is in flight already (then it is tracked twice somewhere).</summary>
    public bool TryAdd(V1Pod pod)
    {
        var uid = pod.Metadata?.Uid ?? string.Empty;
        if (_pods.ContainsKey(uid))
        {
            return false;
        }

        _pods[uid] = _entries.AddLast(pod);
        return true;
    }

    /// <summary>Records the event for the pods in flight now; nothing when none is.</summary>
    public void AddEvent(ClusterEvent clusterEvent, object? oldObject, object? newObject)
    {
        if (_pods.Count > 0)
        {
            _entries.AddLast(new InFlightEvent(clusterEvent, oldObject, newObject));
        }
    }

    /// <summary>The events recorded since the pod's attempt started; null when the pod is not in flight.</summary>
    public IReadOnlyList<InFlightEvent>? EventsSince(string uid)
    {
        if (!_pods.TryGetValue(uid, out var start))
        {
            return null;
        }

        var events = new List<InFlightEvent>();
        for (var node = start.Next; node is not null; node = node.Next)
        {
            if (node.Value is InFlightEvent e)
            {
                events.Add(e);
            }
        }

        return events;
    }

    public void Done(string uid)
    {
        if (!_pods.Remove(uid, out var node))
        {
            return;
        }

        _entries.Remove(node);
        while (_entries.First is { Value: InFlightEvent })
        {
            _entries.RemoveFirst();
        }
    }
}
