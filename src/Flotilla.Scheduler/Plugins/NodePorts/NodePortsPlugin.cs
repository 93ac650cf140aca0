using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodePorts;

/// <summary>
/// A pod's host ports must be free on the node (upstream NodePorts): the same protocol and port on the same IP,
/// or on 0.0.0.0 on either side, conflict.
/// </summary>
public sealed class NodePortsPlugin : IPreFilterPlugin, IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodePorts";

    public const string ErrReason = "node(s) didn't have free ports for the requested pod ports";

    private const string StateKey = "PreFilter" + PluginName;

    public string Name => PluginName;

    /// <summary>Skips the pod (and this plugin's Filter) when it asks for no host port.</summary>
    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pod);
        var ports = HostPorts(pod);
        if (ports.Count == 0)
        {
            return (null, Status.Skip);
        }

        state.Write(StateKey, new PreFilterState(ports));
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var wanted = state.Read<PreFilterState>(StateKey);
        if (wanted is null)
        {
            return Status.Error($"reading \"{StateKey}\" from cycleState: not found");
        }

        foreach (var port in wanted.HostPorts)
        {
            if (node.UsedPorts.Conflicts(port.HostIP, port.Protocol, port.HostPort ?? 0))
            {
                return Status.Unschedulable(ErrReason);
            }
        }

        return Status.Success;
    }

    // Ports free up when a pod on the node goes away (spec.containers[*].ports are immutable, so updates cannot);
    // a new node has all its ports free.
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.AssignedPod, ActionType.Delete),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel),
    ];

    private static List<V1ContainerPort> HostPorts(V1Pod pod) =>
        [.. (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Where(p => p.HostPort > 0)];
}
