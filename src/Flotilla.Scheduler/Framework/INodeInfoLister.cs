namespace Flotilla.Scheduler.Framework;

/// <summary>The cycle's snapshot of nodes (upstream SharedLister.NodeInfos): consistent for the whole cycle.</summary>
public interface INodeInfoLister
{
    IReadOnlyList<NodeInfo> List();

    NodeInfo? Get(string nodeName);

    /// <summary>Nodes with at least one pod that has (anti-)affinity terms.</summary>
    IReadOnlyList<NodeInfo> HavePodsWithAffinity();

    /// <summary>Nodes with at least one pod that has required anti-affinity terms.</summary>
    IReadOnlyList<NodeInfo> HavePodsWithRequiredAntiAffinity();
}
