using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodeUnschedulable;

/// <summary>
/// Keeps pods off cordoned nodes (<c>spec.unschedulable</c>) unless they tolerate the
/// <c>node.kubernetes.io/unschedulable:NoSchedule</c> taint (upstream NodeUnschedulable).
/// </summary>
public sealed class NodeUnschedulablePlugin : IFilterPlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeUnschedulable";

    public const string ErrReasonUnschedulable = "node(s) were unschedulable";

    private static readonly V1Taint UnschedulableTaint = new() { Key = "node.kubernetes.io/unschedulable", Effect = Tolerations.NoSchedule };

    public string Name => PluginName;

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        if (node.Node?.Spec?.Unschedulable != true || Tolerations.ToleratesTaint(pod.Spec?.Tolerations, UnschedulableTaint))
        {
            return Status.Success;
        }

        return Status.Unresolvable(ErrReasonUnschedulable);
    }

    // Without queueing hints, both of upstream's lists: the node events (UpdateNodeLabel too, which upstream adds
    // when its pre-check may swallow Node/Add) and the pod's own toleration updates.
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel),
        new(EventResource.Pod, ActionType.UpdatePodTolerations),
    ];
}
