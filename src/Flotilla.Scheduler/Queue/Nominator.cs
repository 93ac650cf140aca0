using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// Pods nominated to nodes by preemption and not bound yet (upstream nominator): the scheduler counts them on their
/// node so the room preemption made is not taken by a lower-priority pod. Not thread-safe: the queue's lock guards it.
/// </summary>
internal sealed class Nominator
{
    private readonly Dictionary<string, List<PodInfo>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeByUid = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>How many pods are nominated; read without the queue's lock, so the scheduler's per-node check is free when none are.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Nominates the pod to <paramref name="nodeName"/>, replacing any earlier nomination; an empty name clears it,
    /// null takes the pod's <c>status.nominatedNodeName</c>.
    /// </summary>
    public void Add(PodInfo podInfo, string? nodeName)
    {
        Delete(podInfo.Pod);
        nodeName ??= podInfo.Pod.Status?.NominatedNodeName;
        if (string.IsNullOrEmpty(nodeName))
        {
            return;
        }

        _nodeByUid[Uid(podInfo.Pod)] = nodeName;
        if (!_byNode.TryGetValue(nodeName, out var pods))
        {
            _byNode[nodeName] = pods = [];
        }

        pods.Add(podInfo);
        Volatile.Write(ref _count, _nodeByUid.Count);
    }

    /// <summary>Keeps the nomination pointing at the newest pod object.</summary>
    public void Update(V1Pod? oldPod, PodInfo newPodInfo)
    {
        // An update that says nothing of a nomination (e.g. one written before preemption nominated the pod in
        // memory) keeps the one we hold, as upstream.
        string? nodeName = null;
        if (string.IsNullOrEmpty(oldPod?.Status?.NominatedNodeName) && string.IsNullOrEmpty(newPodInfo.Pod.Status?.NominatedNodeName))
        {
            _nodeByUid.TryGetValue(Uid(newPodInfo.Pod), out nodeName);
        }

        if (oldPod is not null)
        {
            Delete(oldPod);
        }

        Add(newPodInfo, nodeName);
    }

    public void Delete(V1Pod pod)
    {
        var uid = Uid(pod);
        if (!_nodeByUid.Remove(uid, out var nodeName) || !_byNode.TryGetValue(nodeName, out var pods))
        {
            return;
        }

        Volatile.Write(ref _count, _nodeByUid.Count);

        pods.RemoveAll(p => Uid(p.Pod) == uid);
        if (pods.Count == 0)
        {
            _byNode.Remove(nodeName);
        }
    }

    public IReadOnlyList<PodInfo> ForNode(string nodeName) =>
        _byNode.TryGetValue(nodeName, out var pods) ? [.. pods] : [];

    private static string Uid(V1Pod pod) => pod.Metadata?.Uid ?? string.Empty;
}
