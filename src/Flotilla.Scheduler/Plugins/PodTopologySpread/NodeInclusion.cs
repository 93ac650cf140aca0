using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// Which nodes count as domains for a pod's spread constraints under nodeAffinityPolicy / nodeTaintsPolicy: its
/// required node affinity (upstream nodeaffinity.GetRequiredNodeAffinity: spec.nodeSelector AND any one required
/// term) and its tolerations of NoSchedule/NoExecute taints. Parsed once per pod. Kept inside this plugin until it
/// moves onto the shared Framework node-selector and toleration helpers.
/// </summary>
internal sealed class NodeInclusion
{
    private readonly LabelSelector? _nodeSelector;
    private readonly List<Term>? _terms;
    private readonly IList<V1Toleration> _tolerations;

    private NodeInclusion(V1Pod pod)
    {
        if (pod.Spec?.NodeSelector is { Count: > 0 } nodeSelector)
        {
            _nodeSelector = LabelSelector.FromSet(nodeSelector);
        }

        if (pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is { } required)
        {
            // As upstream's LazyErrorNodeSelector: empty terms select nothing, terms that do not parse are dropped.
            _terms = [];
            foreach (var term in required.NodeSelectorTerms ?? [])
            {
                if (Term.TryParse(term) is { } parsed)
                {
                    _terms.Add(parsed);
                }
            }
        }

        _tolerations = pod.Spec?.Tolerations ?? [];
    }

    public static NodeInclusion Of(V1Pod pod) => new(pod);

    /// <summary>Whether <paramref name="node"/> satisfies the pod's nodeSelector and required node affinity.</summary>
    public bool MatchesNodeAffinity(V1Node node)
    {
        var labels = node.Metadata?.Labels as IReadOnlyDictionary<string, string>;
        if (_nodeSelector is not null && !_nodeSelector.Matches(labels))
        {
            return false;
        }

        return _terms is null || _terms.Any(t => t.Matches(labels, node.Metadata?.Name));
    }

    /// <summary>Whether the pod tolerates every NoSchedule and NoExecute taint of <paramref name="node"/>.</summary>
    public bool ToleratesTaints(V1Node node) =>
        (node.Spec?.Taints ?? []).Where(t => t.Effect is "NoSchedule" or "NoExecute").All(taint => _tolerations.Any(t => Tolerates(t, taint)));

    // Upstream Toleration.ToleratesTaint: an empty effect or key matches any; an empty operator means Equal.
    private static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
        {
            return false;
        }

        return toleration.OperatorProperty switch
        {
            null or "" or "Equal" => (toleration.Value ?? string.Empty) == (taint.Value ?? string.Empty),
            "Exists" => true,
            _ => false,
        };
    }

    /// <summary>One required node selector term: its label expressions, and its field expressions on the node's name.</summary>
    private sealed record Term(LabelSelector? Labels, IReadOnlyList<(bool Equal, string Key, string Value)>? Fields)
    {
        public static Term? TryParse(V1NodeSelectorTerm term)
        {
            if ((term.MatchExpressions?.Count ?? 0) + (term.MatchFields?.Count ?? 0) == 0)
            {
                return null;
            }

            var labels = term.MatchExpressions is { Count: > 0 } ? LabelSelector.Everything : null;
            foreach (var expression in term.MatchExpressions ?? [])
            {
                LabelOperator? op = expression.OperatorProperty switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    "Gt" => LabelOperator.GreaterThan,
                    "Lt" => LabelOperator.LessThan,
                    _ => null,
                };
                try
                {
                    labels = op is null ? null : labels!.And(LabelRequirement.Create(expression.Key ?? string.Empty, op.Value, expression.Values));
                }
                catch (LabelSelectorException)
                {
                    return null;
                }

                if (labels is null)
                {
                    return null;
                }
            }

            // Fields: only In and NotIn with exactly one value, as upstream's field selectors.
            var fields = term.MatchFields is { Count: > 0 } ? new List<(bool, string, string)>() : null;
            foreach (var field in term.MatchFields ?? [])
            {
                if (field.OperatorProperty is not ("In" or "NotIn") || field.Values is not { Count: 1 })
                {
                    return null;
                }

                fields!.Add((field.OperatorProperty == "In", field.Key ?? string.Empty, field.Values[0]));
            }

            return new Term(labels, fields);
        }

        public bool Matches(IReadOnlyDictionary<string, string>? labels, string? nodeName)
        {
            if (Labels is not null && !Labels.Matches(labels))
            {
                return false;
            }

            // The only node field is metadata.name; upstream skips field requirements for a node without a name.
            return Fields is null || string.IsNullOrEmpty(nodeName)
                || Fields.All(f => ((f.Key == "metadata.name" ? nodeName : string.Empty) == f.Value) == f.Equal);
        }
    }
}
