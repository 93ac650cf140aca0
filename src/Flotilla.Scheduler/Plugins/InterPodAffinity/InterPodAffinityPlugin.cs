using Flotilla.Api.Selectors;
using Flotilla.Client.Informers;
using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// Pod affinity and anti-affinity (upstream InterPodAffinity). Filter: the incoming pod's required affinity must find
/// a matching pod in the node's topology domain (unless the pod would be the first of its group), its required
/// anti-affinity must find none, and no existing pod's required anti-affinity may match it there. Score: preferred
/// terms of the incoming pod and of existing pods (and existing pods' required affinity, at
/// <see cref="InterPodAffinityArgs.HardPodAffinityWeight"/>), summed per topology domain and scaled to 0-100.
/// </summary>
public sealed class InterPodAffinityPlugin : IPreFilterPlugin, IPreFilterExtensions, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "InterPodAffinity";

    public const string ReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";

    public const string ReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

    public const string ReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";

    private const string PreFilterStateKey = "PreFilter" + PluginName;
    private const string PreScoreStateKey = "PreScore" + PluginName;

    private static readonly Status MissingPreFilterState = Status.Error($"error reading \"{PreFilterStateKey}\" from cycleState: not found");
    private static readonly Status MissingPreScoreState = Status.Error($"error reading \"{PreScoreStateKey}\" from cycleState: not found");

    private readonly IFrameworkHandle _handle;
    private readonly InterPodAffinityArgs _args;
    private readonly Lister<V1Namespace> _namespaces;

    public InterPodAffinityPlugin(IFrameworkHandle handle, InterPodAffinityArgs? args = null)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _args = args ?? new InterPodAffinityArgs();
        if (_args.HardPodAffinityWeight is < 0 or > 100)
        {
            throw new ArgumentException($"hardPodAffinityWeight {_args.HardPodAffinityWeight} not in valid range [0, 100]", nameof(args));
        }

        _handle = handle;
        _namespaces = handle.Informers.Informer<V1Namespace>().Lister;
    }

    public string Name => PluginName;

    public IPreFilterExtensions? Extensions => this;

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        PodInfo info;
        try
        {
            info = new PodInfo(pod);
        }
        catch (LabelSelectorException e)
        {
            return (null, Status.Unresolvable($"parsing pod: {e.Message}"));
        }

        List<AffinityTerm> affinityTerms = [.. info.RequiredAffinityTerms.Select(WithSelectedNamespaces)];
        List<AffinityTerm> antiAffinityTerms = [.. info.RequiredAntiAffinityTerms.Select(WithSelectedNamespaces)];
        var namespaceLabels = NamespaceLabels(pod);

        var existingAntiAffinityCounts = new TopologyCounts();
        foreach (var nodeInfo in _handle.Snapshot.HavePodsWithRequiredAntiAffinity())
        {
            if (nodeInfo.Node is not { } node)
            {
                continue;
            }

            foreach (var existing in nodeInfo.PodsWithRequiredAntiAffinity)
            {
                existingAntiAffinityCounts.AddForEachMatch(existing.RequiredAntiAffinityTerms, pod, namespaceLabels, node, 1);
            }
        }

        var affinityCounts = new TopologyCounts();
        var antiAffinityCounts = new TopologyCounts();
        if (affinityTerms.Count + antiAffinityTerms.Count > 0)
        {
            foreach (var nodeInfo in nodes)
            {
                if (nodeInfo.Node is not { } node)
                {
                    continue;
                }

                foreach (var existing in nodeInfo.Pods)
                {
                    affinityCounts.AddIfMatchesAll(affinityTerms, existing.Pod, node, 1);
                    // The incoming pod's namespace selectors are resolved already: no namespace labels needed.
                    antiAffinityCounts.AddForEachMatch(antiAffinityTerms, existing.Pod, null, node, 1);
                }
            }
        }

        if (existingAntiAffinityCounts.Count == 0 && affinityTerms.Count == 0 && antiAffinityTerms.Count == 0)
        {
            return (null, Status.Skip);
        }

        state.Write(PreFilterStateKey, new PreFilterState(pod, affinityTerms, antiAffinityTerms, namespaceLabels, existingAntiAffinityCounts, affinityCounts, antiAffinityCounts));
        return (null, Status.Success);
    }

    public Status AddPod(CycleState state, V1Pod podToSchedule, PodInfo podToAdd, NodeInfo node) => Update(state, podToAdd, node, 1);

    public Status RemovePod(CycleState state, V1Pod podToSchedule, PodInfo podToRemove, NodeInfo node) => Update(state, podToRemove, node, -1);

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

        if (!SatisfiesAffinity(s, node.Node))
        {
            return Status.Unresolvable(ReasonAffinityRulesNotMatch);
        }

        if (!SatisfiesAntiAffinity(s, node.Node))
        {
            return Status.Unschedulable(ReasonAntiAffinityRulesNotMatch);
        }

        return s.ExistingAntiAffinityCounts.AnyOn(node.Node) ? Status.Unschedulable(ReasonExistingAntiAffinityRulesNotMatch) : Status.Success;
    }

    public Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        if (nodes.Count == 0)
        {
            return Status.Skip;
        }

        var affinity = pod.Spec?.Affinity;
        var hasPreferredTerms = affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is { Count: > 0 }
            || affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is { Count: > 0 };
        if (_args.IgnorePreferredTermsOfExistingPods && !hasPreferredTerms)
        {
            return Status.Skip;
        }

        PodInfo info;
        try
        {
            info = new PodInfo(pod);
        }
        catch (LabelSelectorException e)
        {
            return Status.Error($"failed to parse pod: {e.Message}");
        }

        List<WeightedAffinityTerm> preferredAffinity = [.. info.PreferredAffinityTerms.Select(t => t with { Term = WithSelectedNamespaces(t.Term) })];
        List<WeightedAffinityTerm> preferredAntiAffinity = [.. info.PreferredAntiAffinityTerms.Select(t => t with { Term = WithSelectedNamespaces(t.Term) })];
        var namespaceLabels = NamespaceLabels(pod);

        // Unless the incoming pod has preferred terms, only existing pods with affinity terms can score.
        var scores = new PreScoreState();
        foreach (var nodeInfo in hasPreferredTerms ? _handle.Snapshot.List() : _handle.Snapshot.HavePodsWithAffinity())
        {
            if (nodeInfo.Node is not { } node || node.Metadata?.Labels is not { Count: > 0 })
            {
                continue;
            }

            foreach (var existing in hasPreferredTerms ? nodeInfo.Pods : nodeInfo.PodsWithAffinity)
            {
                // The incoming pod's terms have their namespace selectors resolved: no namespace labels needed.
                foreach (var t in preferredAffinity)
                {
                    scores.Add(t.Term, t.Weight, existing.Pod, null, node);
                }

                foreach (var t in preferredAntiAffinity)
                {
                    scores.Add(t.Term, -t.Weight, existing.Pod, null, node);
                }

                // Existing pods' terms are matched against the incoming pod, with its namespace's labels.
                if (_args.HardPodAffinityWeight > 0)
                {
                    foreach (var term in existing.RequiredAffinityTerms)
                    {
                        scores.Add(term, _args.HardPodAffinityWeight, pod, namespaceLabels, node);
                    }
                }

                foreach (var t in existing.PreferredAffinityTerms)
                {
                    scores.Add(t.Term, t.Weight, pod, namespaceLabels, node);
                }

                foreach (var t in existing.PreferredAntiAffinityTerms)
                {
                    scores.Add(t.Term, -t.Weight, pod, namespaceLabels, node);
                }
            }
        }

        if (scores.IsEmpty)
        {
            return Status.Skip;
        }

        state.Write(PreScoreStateKey, scores);
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return (0, MissingPreScoreState);
        }

        return node.Node is null ? (0, Status.Error("node not found")) : (s.Score(node.Node), Status.Success);
    }

    /// <summary>Scales the raw scores linearly from the lowest (0) to the highest (100); all 0 when they are equal.</summary>
    public Status NormalizeScore(CycleState state, V1Pod pod, NodeScore[] scores)
    {
        if (state.Read<PreScoreState>(PreScoreStateKey) is not { } s)
        {
            return MissingPreScoreState;
        }

        if (s.IsEmpty || scores.Length == 0)
        {
            return Status.Success;
        }

        var min = scores.Min(n => n.Score);
        var diff = scores.Max(n => n.Score) - min;
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i].Score = diff > 0 ? (long)(IScorePlugin.MaxNodeScore * ((double)(scores[i].Score - min) / diff)) : 0;
        }

        return Status.Success;
    }

    /// <summary>As upstream without queueing hints: bound pods coming, going or relabelled, and nodes coming or
    /// changing labels (or taints, which upstream registers alongside node additions).</summary>
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
    ];

    // The pod may be the first of a group whose affinity selects itself: then it may go to any node that has the
    // terms' topology keys, as long as no other pod in the cluster matches the terms.
    private static bool SatisfiesAffinity(PreFilterState s, V1Node node)
    {
        var podsExist = true;
        foreach (var term in s.AffinityTerms)
        {
            if (node.Metadata?.Labels?.TryGetValue(term.TopologyKey, out var value) != true)
            {
                return false;
            }

            if (s.AffinityCounts[term.TopologyKey, value!] <= 0)
            {
                podsExist = false;
            }
        }

        return podsExist || (s.AffinityCounts.Count == 0 && TopologyCounts.MatchesAll(s.AffinityTerms, s.Pod));
    }

    private static bool SatisfiesAntiAffinity(PreFilterState s, V1Node node) =>
        s.AntiAffinityCounts.Count == 0
        || !s.AntiAffinityTerms.Any(t => node.Metadata?.Labels?.TryGetValue(t.TopologyKey, out var value) == true && s.AntiAffinityCounts[t.TopologyKey, value] > 0);

    private static Status Update(CycleState state, PodInfo pod, NodeInfo node, long delta)
    {
        if (state.Read<PreFilterState>(PreFilterStateKey) is not { } s)
        {
            return MissingPreFilterState;
        }

        s.Update(pod, node.Node, delta);
        return Status.Success;
    }

    /// <summary>
    /// The incoming pod's term with the namespaces its namespaceSelector selects now added to its namespaces (upstream
    /// mergeAffinityTermNamespacesIfNotEmpty), so matching needs no namespace labels. An empty selector (all
    /// namespaces) and a missing one stay as they are.
    /// </summary>
    private AffinityTerm WithSelectedNamespaces(AffinityTerm term)
    {
        if (term.NamespaceSelector.Requirements.Count == 0)
        {
            return term;
        }

        var namespaces = new HashSet<string>(term.Namespaces, StringComparer.Ordinal);
        namespaces.UnionWith(_namespaces.List(term.NamespaceSelector).Select(n => n.Metadata?.Name ?? string.Empty));
        return term with { Namespaces = namespaces, NamespaceSelector = LabelSelector.Nothing };
    }

    // A snapshot of the labels of the pod's namespace; none when the namespace is not known (yet).
    private Dictionary<string, string>? NamespaceLabels(V1Pod pod) =>
        _namespaces.Get(pod.Metadata?.NamespaceProperty ?? string.Empty)?.Metadata?.Labels is { } labels
            ? new Dictionary<string, string>(labels, StringComparer.Ordinal)
            : null;
}
