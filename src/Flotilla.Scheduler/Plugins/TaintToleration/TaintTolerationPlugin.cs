using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.TaintToleration;

/// <summary>
/// A pod must tolerate the node's NoSchedule and NoExecute taints (upstream TaintToleration); among the nodes
/// that pass, fewer untolerated PreferNoSchedule taints score higher.
/// </summary>
public sealed class TaintTolerationPlugin : IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "TaintToleration";

    private const string PreScoreKey = "PreScore" + PluginName;

    public string Name => PluginName;

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var taint = Tolerations.FindUntoleratedTaint(node.Node?.Spec?.Taints, pod.Spec?.Tolerations, Tolerations.IsDoNotSchedule);
        return taint is null ? Status.Success : Status.Unresolvable($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
    }

    public Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pod);
        state.Write(PreScoreKey, new PreScoreState(PreferNoScheduleTolerations(pod)));
        return Status.Success;
    }

    /// <summary>The raw score is the number of PreferNoSchedule taints the pod does not tolerate; see <see cref="NormalizeScore"/>.</summary>
    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var pre = state.Read<PreScoreState>(PreScoreKey);
        if (pre is null)
        {
            return (0, Status.Error($"failed to read \"{PreScoreKey}\" from cycleState: not found"));
        }

        var count = 0;
        var taints = node.Node?.Spec?.Taints;
        for (var i = 0; i < (taints?.Count ?? 0); i++)
        {
            var taint = taints![i];
            if (taint.Effect == Tolerations.PreferNoSchedule && !Tolerations.ToleratesTaint(pre.PreferNoScheduleTolerations, taint))
            {
                count++;
            }
        }

        return (count, Status.Success);
    }

    /// <summary>Reversed: the nodes with the fewest untolerated taints get 100.</summary>
    public Status NormalizeScore(CycleState state, V1Pod pod, NodeScore[] scores)
    {
        ScoreNormalizer.Normalize(scores, IScorePlugin.MaxNodeScore, reverse: true);
        return Status.Success;
    }

    // Without queueing hints, both of upstream's lists: node taint changes (UpdateNodeLabel too, which upstream adds
    // when its pre-check may swallow Node/Add) and the pod's own toleration updates.
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel),
        new(EventResource.Pod, ActionType.UpdatePodTolerations),
    ];

    // An empty effect means every effect, PreferNoSchedule included.
    private static List<V1Toleration> PreferNoScheduleTolerations(V1Pod pod) =>
        [.. (pod.Spec?.Tolerations ?? []).Where(t => string.IsNullOrEmpty(t.Effect) || t.Effect == Tolerations.PreferNoSchedule)];
}
