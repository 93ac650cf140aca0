using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodeName;

/// <summary>A pod that names its node (<c>spec.nodeName</c>) fits only that node (upstream NodeName).</summary>
public sealed class NodeNamePlugin : IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeName";

    public const string ErrReason = "node(s) didn't match the requested node name";

    public string Name => PluginName;

    public static bool Fits(V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var wanted = pod.Spec?.NodeName;
        return string.IsNullOrEmpty(wanted) || wanted == node.Name;
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node) =>
        Fits(pod, node) ? Status.Success : Status.Unresolvable(ErrReason);

    // Only a new node can fit; UpdateNodeTaint|UpdateNodeLabel as upstream registers them when a pre-check may
    // have swallowed that node's Add.
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel),
    ];
}
