using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// What PreScore computes for the soft constraints (upstream preScoreState): per constraint, the matching pods in
/// each domain that holds a candidate node (hostname domains are counted per node at Score), the candidates that lack
/// a topology key, and each constraint's weight. Read-only once built, so clones share it.
/// </summary>
internal sealed class PreScoreState : IStateData
{
    public const string HostnameLabel = "kubernetes.io/hostname";

    private PreScoreState(IReadOnlyList<SpreadConstraint> constraints, HashSet<string> ignoredNodes, Dictionary<string, long>[] podCounts, double[] weights)
    {
        Constraints = constraints;
        IgnoredNodes = ignoredNodes;
        PodCounts = podCounts;
        Weights = weights;
    }

    public IReadOnlyList<SpreadConstraint> Constraints { get; }

    /// <summary>Candidate nodes without every topology key: scored 0.</summary>
    public IReadOnlySet<string> IgnoredNodes { get; }

    /// <summary>Per constraint: matching pods by topology value, for the domains of candidate nodes.</summary>
    public Dictionary<string, long>[] PodCounts { get; }

    /// <summary>Per constraint: log(domains + 2), so counts in small topologies are not watered down by big ones.</summary>
    public double[] Weights { get; }

    /// <param name="requireAllTopologies">Whether nodes must carry every topology key (not so for the system
    /// defaults, so that nodes without a zone still spread by hostname; they form a zone of their own).</param>
    public static PreScoreState Compute(
        V1Pod pod,
        IReadOnlyList<SpreadConstraint> constraints,
        IReadOnlyList<NodeInfo> candidates,
        IReadOnlyList<NodeInfo> allNodes,
        bool requireAllTopologies)
    {
        var ignored = new HashSet<string>(StringComparer.Ordinal);
        var podCounts = constraints.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToArray();
        foreach (var node in candidates.Select(n => n.Node).OfType<V1Node>())
        {
            if (requireAllTopologies && !SpreadConstraint.NodeHasAllKeys(constraints, node))
            {
                ignored.Add(node.Metadata.Name);
                continue;
            }

            for (var i = 0; i < constraints.Count; i++)
            {
                if (constraints[i].TopologyKey != HostnameLabel)
                {
                    podCounts[i].TryAdd(Label(node, constraints[i].TopologyKey), 0);
                }
            }
        }

        var weights = new double[constraints.Count];
        for (var i = 0; i < constraints.Count; i++)
        {
            var size = constraints[i].TopologyKey == HostnameLabel ? candidates.Count - ignored.Count : podCounts[i].Count;
            weights[i] = Math.Log(size + 2);
        }

        var inclusion = NodeInclusion.Of(pod);
        var ns = pod.Metadata?.NamespaceProperty ?? string.Empty;
        foreach (var nodeInfo in allNodes)
        {
            if (nodeInfo.Node is not { } node || (requireAllTopologies && !SpreadConstraint.NodeHasAllKeys(constraints, node)))
            {
                continue;
            }

            for (var i = 0; i < constraints.Count; i++)
            {
                var c = constraints[i];
                var value = Label(node, c.TopologyKey);
                // Only domains of candidate nodes are counted; hostname domains have none here.
                if (c.Includes(inclusion, node) && podCounts[i].TryGetValue(value, out var count))
                {
                    podCounts[i][value] = count + c.CountMatching(nodeInfo.Pods, ns);
                }
            }
        }

        return new PreScoreState(constraints, ignored, podCounts, weights);
    }

    public IStateData Clone() => this;

    private static string Label(V1Node node, string key) => node.Metadata?.Labels?.TryGetValue(key, out var value) == true ? value : string.Empty;
}
