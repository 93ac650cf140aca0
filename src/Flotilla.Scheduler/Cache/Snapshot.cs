using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Cache;

/// <summary>
/// The nodes as one scheduling cycle sees them (upstream cache.Snapshot): copies taken from the cache at the start of
/// the cycle, refreshed only for nodes that changed since the last cycle.
/// </summary>
public sealed class Snapshot : INodeInfoLister
{
    internal Dictionary<string, NodeInfo> Map { get; } = new(StringComparer.Ordinal);

    internal List<NodeInfo> Nodes { get; set; } = [];

    /// <summary>Each node's index in <see cref="Nodes"/>, so a changed node's copy replaces its old one in place.</summary>
    internal Dictionary<string, int> Positions { get; } = new(StringComparer.Ordinal);

    internal List<NodeInfo> WithAffinity { get; set; } = [];

    internal List<NodeInfo> WithRequiredAntiAffinity { get; set; } = [];

    public int Count => Nodes.Count;

    public IReadOnlyList<NodeInfo> List() => Nodes;

    public NodeInfo? Get(string nodeName) => Map.GetValueOrDefault(nodeName);

    public IReadOnlyList<NodeInfo> HavePodsWithAffinity() => WithAffinity;

    public IReadOnlyList<NodeInfo> HavePodsWithRequiredAntiAffinity() => WithRequiredAntiAffinity;
}
