using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// What PreFilter computes for the hard constraints (upstream preFilterState): per constraint, the matching pods in
/// each eligible domain and the critical paths. Filter reads it from parallel tasks while preemption's AddPod and
/// RemovePod may change it, hence the lock.
/// </summary>
internal sealed class PreFilterState : IStateData
{
    private readonly Lock _gate = new();

    private PreFilterState(IReadOnlyList<SpreadConstraint> constraints, CriticalPaths[] criticalPaths, Dictionary<string, int>[] matchNums)
    {
        Constraints = constraints;
        CriticalPaths = criticalPaths;
        MatchNums = matchNums;
    }

    public IReadOnlyList<SpreadConstraint> Constraints { get; }

    public CriticalPaths[] CriticalPaths { get; }

    /// <summary>Per constraint: matching pods by topology value, for every eligible domain (0 included).</summary>
    public Dictionary<string, int>[] MatchNums { get; }

    /// <summary>Counts the pods matching each constraint over the nodes that carry every topology key.</summary>
    public static PreFilterState Compute(V1Pod pod, IReadOnlyList<SpreadConstraint> constraints, IReadOnlyList<NodeInfo> nodes)
    {
        var matchNums = constraints.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var inclusion = NodeInclusion.Of(pod);
        var ns = pod.Metadata?.NamespaceProperty ?? string.Empty;
        foreach (var nodeInfo in nodes)
        {
            if (nodeInfo.Node is not { } node || !SpreadConstraint.NodeHasAllKeys(constraints, node))
            {
                continue;
            }

            for (var i = 0; i < constraints.Count; i++)
            {
                var c = constraints[i];
                if (c.Includes(inclusion, node))
                {
                    var value = node.Metadata.Labels[c.TopologyKey];
                    matchNums[i][value] = matchNums[i].GetValueOrDefault(value) + c.CountMatching(nodeInfo.Pods, ns);
                }
            }
        }

        var paths = new CriticalPaths[constraints.Count];
        for (var i = 0; i < constraints.Count; i++)
        {
            paths[i] = new CriticalPaths();
            foreach (var (value, num) in matchNums[i])
            {
                paths[i].Update(value, num);
            }
        }

        return new PreFilterState(constraints, paths, matchNums);
    }

    /// <summary>
    /// The matching pods in <paramref name="topologyValue"/>'s domain and the global minimum, which is 0 while fewer
    /// than minDomains domains are eligible.
    /// </summary>
    public (int MatchNum, int MinMatchNum) Read(int constraint, string topologyValue)
    {
        lock (_gate)
        {
            var min = MatchNums[constraint].Count < Constraints[constraint].MinDomains ? 0 : CriticalPaths[constraint].First.MatchNum;
            return (MatchNums[constraint].GetValueOrDefault(topologyValue), min);
        }
    }

    /// <summary>Counts <paramref name="pod"/> in (+1) or out (-1) of its node's domains (upstream updateWithPod).</summary>
    public void Update(V1Pod pod, V1Pod podToSchedule, V1Node? node, int delta)
    {
        if (node is null
            || pod.Metadata?.NamespaceProperty != podToSchedule.Metadata?.NamespaceProperty
            || !SpreadConstraint.NodeHasAllKeys(Constraints, node))
        {
            return;
        }

        var inclusion = NodeInclusion.Of(podToSchedule);
        var labels = pod.Metadata?.Labels as IReadOnlyDictionary<string, string>;
        lock (_gate)
        {
            for (var i = 0; i < Constraints.Count; i++)
            {
                var c = Constraints[i];
                if (c.Selector.Matches(labels) && c.Includes(inclusion, node))
                {
                    var value = node.Metadata.Labels[c.TopologyKey];
                    var num = MatchNums[i][value] = MatchNums[i].GetValueOrDefault(value) + delta;
                    CriticalPaths[i].Update(value, num);
                }
            }
        }
    }

    public IStateData Clone()
    {
        lock (_gate)
        {
            // Constraints never change, so the copy shares them.
            return new PreFilterState(
                Constraints,
                [.. CriticalPaths.Select(p => p.Clone())],
                [.. MatchNums.Select(m => new Dictionary<string, int>(m, StringComparer.Ordinal))]);
        }
    }
}
