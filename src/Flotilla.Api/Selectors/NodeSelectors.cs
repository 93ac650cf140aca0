using k8s.Models;

namespace Flotilla.Api.Selectors;

/// <summary>
/// Node selector semantics (upstream component-helpers nodeaffinity): a selector's terms are ORed, a term's
/// requirements ANDed; operators In, NotIn, Exists, DoesNotExist, Gt, Lt on labels, In and NotIn on
/// <c>metadata.name</c>. Empty terms and terms that do not parse match nothing.
/// </summary>
public static class NodeSelectors
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    /// <summary>The selector's terms, parsed; empty terms are dropped (they select nothing).</summary>
    public static IReadOnlyList<NodeSelectorTerm> Parse(V1NodeSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var terms = selector.NodeSelectorTerms ?? [];
        var parsed = new List<NodeSelectorTerm>(terms.Count);
        for (var i = 0; i < terms.Count; i++)
        {
            var term = NodeSelectorTerm.Parse(terms[i], $"nodeSelectorTerms[{i}]");
            if (!term.IsEmpty)
            {
                parsed.Add(term);
            }
        }

        return parsed;
    }

    public static bool Matches(IReadOnlyList<NodeSelectorTerm> terms, V1Node node)
    {
        ArgumentNullException.ThrowIfNull(terms);
        foreach (var term in terms)
        {
            if (term.Matches(node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>For one-off checks (a volume's or a DaemonSet's node affinity); parse once with <see cref="Parse"/> to check many nodes.</summary>
    public static bool Matches(V1NodeSelector selector, V1Node node) => Matches(Parse(selector), node);

    /// <summary>Whether the pod's nodeSelector and required node affinity both match the node.</summary>
    public static bool MatchesRequired(V1Pod pod, V1Node node) => RequiredNodeAffinity.Of(pod).Matches(node);

    internal static IReadOnlyDictionary<string, string> Labels(V1Node node) =>
        node.Metadata?.Labels switch
        {
            null => NoLabels,
            IReadOnlyDictionary<string, string> labels => labels,
            var labels => new Dictionary<string, string>(labels, StringComparer.Ordinal),
        };
}
