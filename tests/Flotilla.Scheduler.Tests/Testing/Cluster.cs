using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Testing;

/// <summary>Nodes and pods known only by their labels, and a snapshot of them, as upstream's plugin tests write them.</summary>
internal static class Cluster
{
    public static V1Node Node(string name, params string[] labels) => Make.Node(name, labels: LabelSets.Of(labels));

    /// <summary>A pod in namespace "default" with the given labels, on <paramref name="node"/> when given.</summary>
    public static V1Pod Pod(string name, string? node, params string[] labels) => Make.Pod(name, nodeName: node, labels: LabelSets.Of(labels));

    public static V1Pod InNamespace(this V1Pod pod, string ns)
    {
        pod.Metadata.NamespaceProperty = ns;
        pod.Metadata.Uid = "uid-" + ns + "-" + pod.Metadata.Name;
        return pod;
    }

    /// <summary>A snapshot of <paramref name="nodes"/> with each of <paramref name="pods"/> on its node (others dropped).</summary>
    public static INodeInfoLister Snapshot(IEnumerable<V1Node> nodes, IEnumerable<V1Pod> pods)
    {
        var byNode = pods.ToLookup(p => p.Spec.NodeName);
        return Nodes.Lister([.. nodes.Select(n => Nodes.Info(n, [.. byNode[n.Metadata.Name]]))]);
    }
}
