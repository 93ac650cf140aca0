using Flotilla.Api.Selectors;
using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// Spreads pods over topology domains (upstream PodTopologySpread): DoNotSchedule constraints reject nodes whose
/// domain would exceed maxSkew over the emptiest domain; ScheduleAnyway constraints favour nodes whose domains hold
/// fewer matching pods. Pods that define no constraints get the default ones, selecting the pods of their Services
/// and controller.
/// </summary>
public sealed class PodTopologySpreadPlugin : IPreFilterPlugin, IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "PodTopologySpread";

    public const string ReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";

    public const string ReasonNodeLabelNotMatch = ReasonConstraintsNotMatch + " (missing required label)";

    private const string PreFilterStateKey = "PreFilter" + PluginName;
    private const string PreScoreStateKey = "PreScore" + PluginName;

    // As upstream words them (one with "error", one without).
    private static readonly Status MissingPreFilterState = Status.Error($"reading \"{PreFilterStateKey}\" from cycleState: not found");
    private static readonly Status MissingPreScoreState = Status.Error($"error reading \"{PreScoreStateKey}\" from cycleState: not found");

    // Upstream systemDefaultConstraints.
    private static readonly V1TopologySpreadConstraint[] SystemDefaultConstraints =
    [
        new() { TopologyKey = PreScoreState.HostnameLabel, WhenUnsatisfiable = SpreadConstraint.ScheduleAnyway, MaxSkew = 3 },
        new() { TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = SpreadConstraint.ScheduleAnyway, MaxSkew = 5 },
    ];

    private readonly IFrameworkHandle _handle;
    private readonly IReadOnlyList<V1TopologySpreadConstraint> _defaultConstraints;
    private readonly bool _systemDefaulted;
    private readonly WorkloadSelector? _workloads;

    public PodTopologySpreadPlugin(IFrameworkHandle handle, PodTopologySpreadArgs? args = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        args ??= new PodTopologySpreadArgs();
        _handle = handle;
        _systemDefaulted = args.DefaultingType == PodTopologySpreadDefaulting.System;
        if (_systemDefaulted && args.DefaultConstraints.Count > 0)
        {
            throw new ArgumentException("defaultConstraints must be empty when defaultingType is System", nameof(args));
        }

        _defaultConstraints = _systemDefaulted ? SystemDefaultConstraints : args.DefaultConstraints;
        if (_defaultConstraints.Count > 0)
        {
            var informers = handle.Informers;
            _workloads = new WorkloadSelector(
                informers.Informer<V1Service>().Lister,
                informers.Informer<V1ReplicationController>().Lister,
                informers.Informer<V1ReplicaSet>().Lister,
                informers.Informer<V1StatefulSet>().Lister);
        }
    }

    public string Name => PluginName;

    public IPreFilterExtensions? Extensions => this;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        List<SpreadConstraint> constraints;
        try
        {
            constraints = Constraints(pod, SpreadConstraint.DoNotSchedule);
        }
        catch (LabelSelectorException e)
        {
            return (null, Status.Error($"obtaining pod's hard topology spread constraints: {e.Message}"));
        }

        if (constraints.Count == 0)
        {
            return (null, Status.Skip);
        }

        state.Write(PreFilterStateKey, PreFilterState.Compute(pod, constraints, nodes));
        return (null, Status.Success);
    }

    public Status AddPod(CycleState state, V1Pod podToSchedule, PodInfo podToAdd, NodeInfo node) => Update(state, podToSchedule, podToAdd, node, 1);

    public Status RemovePod(CycleState state, V1Pod podToSchedule, PodInfo podToRemove, NodeInfo node) => Update(state, podToSchedule, podToRemove, node, -1);

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return MissingPreFilterState;
        }

        if (node.Node is null)
        {
            return Status.Error("node not found");
        }

        var podLabels = pod.Metadata?.Labels as IReadOnlyDictionary<string, string>;
        for (var i = 0; i < s.Constraints.Count; i++)
        {
            var c = s.Constraints[i];
            if (node.Node.Metadata?.Labels?.TryGetValue(c.TopologyKey, out var value) != true)
            {
                return Status.Unresolvable(ReasonNodeLabelNotMatch);
            }

            // Placing the pod here must keep: matching pods in this domain (+1 if it matches itself) - global minimum <= maxSkew.
            var (matchNum, minMatchNum) = s.Read(i, value!);
            var selfMatchNum = c.Selector.Matches(podLabels) ? 1 : 0;
            if ((long)matchNum + selfMatchNum - minMatchNum > c.MaxSkew)
            {
                return Status.Unschedulable(ReasonConstraintsNotMatch);
            }
        }

        return Status.Success;
    }

    public Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        var allNodes = _handle.Snapshot.List();
        if (allNodes.Count == 0)
        {
            return Status.Skip;
        }

        List<SpreadConstraint> constraints;
        try
        {
            constraints = Constraints(pod, SpreadConstraint.ScheduleAnyway);
        }
        catch (LabelSelectorException e)
        {
            return Status.Error($"obtaining pod's soft topology spread constraints: {e.Message}");
        }

        if (constraints.Count == 0)
        {
            return Status.Skip;
        }

        // Only the system defaults let nodes without a zone still spread by hostname.
        var requireAllTopologies = pod.Spec?.TopologySpreadConstraints is { Count: > 0 } || !_systemDefaulted;
        state.Write(PreScoreStateKey, PreScoreState.Compute(pod, constraints, nodes, allNodes, requireAllTopologies));
        return Status.Success;
    }

    /// <summary>The raw score is the weighted count of matching pods in the node's domains: lower is better.</summary>
    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return (0, MissingPreScoreState);
        }

        if (node.Node is null)
        {
            return (0, Status.Error("node not found"));
        }

        if (s.IgnoredNodes.Contains(node.Name))
        {
            return (0, Status.Success);
        }

        var ns = pod.Metadata?.NamespaceProperty ?? string.Empty;
        var score = 0.0;
        for (var i = 0; i < s.Constraints.Count; i++)
        {
            var c = s.Constraints[i];
            if (node.Node.Metadata?.Labels?.TryGetValue(c.TopologyKey, out var value) == true)
            {
                long count = c.TopologyKey == PreScoreState.HostnameLabel ? c.CountMatching(node.Pods, ns) : s.PodCounts[i].GetValueOrDefault(value);
                // maxSkew - 1 waters down the differences between domains: the larger maxSkew, the more skew is tolerated.
                score += (count * s.Weights[i]) + (c.MaxSkew - 1);
            }
        }

        return ((long)Math.Round(score, MidpointRounding.AwayFromZero), Status.Success);
    }

    /// <summary>Reverses the raw scores onto 0-100 (fewest matching pods best); nodes without the topology keys get 0.</summary>
    public Status NormalizeScore(CycleState state, V1Pod pod, NodeScore[] scores)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return MissingPreScoreState;
        }

        var min = long.MaxValue;
        var max = 0L;
        foreach (var score in scores.Where(n => !s.IgnoredNodes.Contains(n.Name)))
        {
            min = Math.Min(min, score.Score);
            max = Math.Max(max, score.Score);
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i].Score = s.IgnoredNodes.Contains(scores[i].Name) ? 0
                : max == 0 ? IScorePlugin.MaxNodeScore
                : IScorePlugin.MaxNodeScore * (max + min - scores[i].Score) / max;
        }

        return Status.Success;
    }

    /// <summary>As upstream without queueing hints: bound pods coming, going or relabelled, and nodes coming, going or
    /// changing labels or taints, change the domains and their counts.</summary>
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
        new(EventResource.Node, ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
    ];

    /// <summary>
    /// The pod's own constraints with whenUnsatisfiable <paramref name="action"/>, or, when it defines none, the default
    /// ones selecting its workload's pods (none when nothing selects it).
    /// </summary>
    internal List<SpreadConstraint> Constraints(V1Pod pod, string action)
    {
        if (pod.Spec?.TopologySpreadConstraints is { Count: > 0 } own)
        {
            return SpreadConstraint.Parse(own, pod.Metadata?.Labels, action);
        }

        var defaults = SpreadConstraint.Parse(_defaultConstraints, pod.Metadata?.Labels, action);
        if (defaults.Count == 0 || _workloads is null)
        {
            return [];
        }

        var selector = _workloads.For(pod);
        return selector.IsEmpty ? [] : [.. defaults.Select(c => c with { Selector = selector })];
    }

    private static Status Update(CycleState state, V1Pod podToSchedule, PodInfo pod, NodeInfo node, int delta)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return MissingPreFilterState;
        }

        s.Update(pod.Pod, podToSchedule, node.Node, delta);
        return Status.Success;
    }
}
