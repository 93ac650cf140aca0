using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// How many pods match a set of terms per topology pair (label key and value) (upstream topologyToMatchedTermCount).
/// Pairs that drop to zero are removed, so <see cref="Count"/> says whether any pod matches at all.
/// </summary>
internal sealed class TopologyCounts
{
    private readonly Dictionary<(string Key, string Value), long> _counts;

    public TopologyCounts()
    {
        _counts = [];
    }

    private TopologyCounts(Dictionary<(string Key, string Value), long> counts)
    {
        _counts = counts;
    }

    public int Count => _counts.Count;

    public long this[string key, string value] => _counts.GetValueOrDefault((key, value));

    /// <summary>Whether the pod matches every term (false when there are none). The terms' namespace selectors must
    /// already be resolved to namespaces, so no namespace labels are needed.</summary>
    public static bool MatchesAll(IReadOnlyList<AffinityTerm> terms, V1Pod pod) => terms.Count > 0 && terms.All(t => t.Matches(pod, null));

    /// <summary>Adds <paramref name="delta"/> for every term's topology pair on the node when the pod matches all terms.</summary>
    public void AddIfMatchesAll(IReadOnlyList<AffinityTerm> terms, V1Pod pod, V1Node node, long delta)
    {
        if (MatchesAll(terms, pod))
        {
            foreach (var term in terms)
            {
                Add(node, term.TopologyKey, delta);
            }
        }
    }

    /// <summary>Adds <paramref name="delta"/> for the topology pair on the node of each term the pod matches.</summary>
    public void AddForEachMatch(IReadOnlyList<AffinityTerm> terms, V1Pod pod, IReadOnlyDictionary<string, string>? namespaceLabels, V1Node node, long delta)
    {
        foreach (var term in terms)
        {
            if (term.Matches(pod, namespaceLabels))
            {
                Add(node, term.TopologyKey, delta);
            }
        }
    }

    /// <summary>Whether any of the node's labels is a pair with a positive count.</summary>
    public bool AnyOn(V1Node node) =>
        _counts.Count > 0 && (node.Metadata?.Labels ?? new Dictionary<string, string>()).Any(l => this[l.Key, l.Value] > 0);

    public TopologyCounts Clone() => new(new Dictionary<(string Key, string Value), long>(_counts));

    private void Add(V1Node node, string topologyKey, long delta)
    {
        if (node.Metadata?.Labels?.TryGetValue(topologyKey, out var value) != true)
        {
            return;
        }

        var pair = (topologyKey, value!);
        var count = _counts.GetValueOrDefault(pair) + delta;
        if (count == 0)
        {
            _counts.Remove(pair);
        }
        else
        {
            _counts[pair] = count;
        }
    }
}
