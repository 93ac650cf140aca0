using Flotilla.Api.Selectors;
using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodeAffinity;

/// <summary>
/// A pod's <c>nodeSelector</c> and required node affinity must match the node (upstream NodeAffinity); its
/// preferred terms score the sum of the weights of those that match.
/// </summary>
public sealed class NodeAffinityPlugin : IPreFilterPlugin, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeAffinity";

    public const string ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";

    public const string ErrReasonConflict = "pod affinity terms conflict";

    private const string PreFilterKey = "PreFilter" + PluginName;
    private const string PreScoreKey = "PreScore" + PluginName;

    public string Name => PluginName;

    /// <summary>
    /// Skips pods without a nodeSelector or required affinity. When every required term names nodes
    /// (<c>metadata.name In</c>), only those nodes are candidates.
    /// </summary>
    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pod);
        var required = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required is null && pod.Spec?.NodeSelector is null)
        {
            return (null, Status.Skip);
        }

        state.Write(PreFilterKey, new PreFilterState(RequiredNodeAffinity.Of(pod)));
        var terms = required?.NodeSelectorTerms ?? [];
        if (terms.Count == 0)
        {
            return (null, Status.Success);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var termNames = NamedNodes(term);
            if (termNames is null)
            {
                // Terms are ORed: one that does not name nodes lets every node through.
                return (null, Status.Success);
            }

            names.UnionWith(termNames);
        }

        return names.Count == 0 ? (null, Status.Unresolvable(ErrReasonConflict)) : (new PreFilterResult(names), Status.Success);
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var required = state.Read<PreFilterState>(PreFilterKey)?.Required ?? RequiredNodeAffinity.Of(pod);
        return node.Node is { } n && required.Matches(n) ? Status.Success : Status.Unresolvable(ErrReasonPod);
    }

    /// <summary>Skips pods without preferred terms; a term that does not parse is an error.</summary>
    public Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is null)
        {
            return Status.Skip;
        }

        var (preferred, error) = ParsePreferred(pod);
        if (error is not null)
        {
            return Status.Error(error);
        }

        state.Write(PreScoreKey, new PreScoreState(preferred));
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(node);
        var preferred = state.Read<PreScoreState>(PreScoreKey)?.Preferred;
        if (preferred is null)
        {
            (preferred, var error) = ParsePreferred(pod);
            if (error is not null)
            {
                return (0, Status.Error(error));
            }
        }

        var score = 0L;
        if (node.Node is { } n)
        {
            foreach (var (term, weight) in preferred)
            {
                if (term.Matches(n))
                {
                    score += weight;
                }
            }
        }

        return (score, Status.Success);
    }

    public Status NormalizeScore(CycleState state, V1Pod pod, NodeScore[] scores)
    {
        ScoreNormalizer.Normalize(scores, IScorePlugin.MaxNodeScore, reverse: false);
        return Status.Success;
    }

    // A node can start to match when it is added or its labels change; UpdateNodeTaint as upstream registers it
    // when a pre-check may have swallowed a node's Add.
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
    ];

    /// <summary>The intersection of the term's <c>metadata.name In</c> value lists; null when it has none.</summary>
    private static HashSet<string>? NamedNodes(V1NodeSelectorTerm term)
    {
        HashSet<string>? names = null;
        foreach (var requirement in term.MatchFields ?? [])
        {
            if (requirement.Key != NodeSelectorTerm.NameField || requirement.OperatorProperty != "In")
            {
                continue;
            }

            var values = new HashSet<string>(requirement.Values ?? [], StringComparer.Ordinal);
            if (names is null)
            {
                names = values;
            }
            else
            {
                names.IntersectWith(values);
            }
        }

        return names;
    }

    // Upstream NewPreferredSchedulingTerms: zero-weight and empty terms are dropped; parse errors are aggregated.
    private static (IReadOnlyList<(NodeSelectorTerm Term, int Weight)> Terms, string? Error) ParsePreferred(V1Pod pod)
    {
        var terms = pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [];
        var parsed = new List<(NodeSelectorTerm, int)>(terms.Count);
        var errors = new List<string>();
        for (var i = 0; i < terms.Count; i++)
        {
            if (terms[i].Weight == 0 || terms[i].Preference is null)
            {
                continue;
            }

            var term = NodeSelectorTerm.Parse(terms[i].Preference, $"[{i}]");
            if (term.IsEmpty)
            {
                continue;
            }

            if (term.Errors.Count > 0)
            {
                errors.AddRange(term.Errors);
            }
            else
            {
                parsed.Add((term, terms[i].Weight));
            }
        }

        var error = errors.Count switch
        {
            0 => null,
            1 => errors[0],
            _ => "[" + string.Join(", ", errors) + "]",
        };
        return (parsed, error);
    }
}
