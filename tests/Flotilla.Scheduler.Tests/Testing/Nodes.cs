using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Testing;

/// <summary>NodeInfos with pods placed on them, and a snapshot lister over them, for plugin tests.</summary>
internal static class Nodes
{
    public static NodeInfo Info(V1Node node, params V1Pod[] pods)
    {
        var info = new NodeInfo();
        info.SetNode(node);
        foreach (var pod in pods)
        {
            pod.Spec.NodeName ??= node.Metadata.Name;
            info.AddPod(new PodInfo(pod));
        }

        return info;
    }

    public static INodeInfoLister Lister(params NodeInfo[] nodes) => new ListLister(nodes);

    private sealed class ListLister(NodeInfo[] nodes) : INodeInfoLister
    {
        public IReadOnlyList<NodeInfo> List() => nodes;

        public NodeInfo? Get(string nodeName) => nodes.FirstOrDefault(n => n.Name == nodeName);

        public IReadOnlyList<NodeInfo> HavePodsWithAffinity() => [.. nodes.Where(n => n.PodsWithAffinity.Count > 0)];

        public IReadOnlyList<NodeInfo> HavePodsWithRequiredAntiAffinity() => [.. nodes.Where(n => n.PodsWithRequiredAntiAffinity.Count > 0)];
    }
}
