using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// The score of each topology pair (upstream preScoreState.topologyScore): a node scores the sum over the pairs among
/// its labels. Built by PreScore, read-only afterwards, so clones share it.
/// </summary>
internal sealed class PreScoreState : IStateData
{
    private readonly Dictionary<string, Dictionary<string, long>> _scores = new(StringComparer.Ordinal);

    /// <summary>Whether no term matched any pod on a node carrying its topology key.</summary>
    public bool IsEmpty => _scores.Count == 0;

    /// <summary>Adds <paramref name="weight"/> to the term's pair on <paramref name="node"/> when the pod matches the term.</summary>
    public void Add(AffinityTerm term, long weight, V1Pod pod, IReadOnlyDictionary<string, string>? namespaceLabels, V1Node node)
    {
        if (!term.Matches(pod, namespaceLabels) || node.Metadata?.Labels?.TryGetValue(term.TopologyKey, out var value) != true)
        {
            return;
        }

        if (!_scores.TryGetValue(term.TopologyKey, out var byValue))
        {
            _scores[term.TopologyKey] = byValue = new Dictionary<string, long>(StringComparer.Ordinal);
        }

        byValue[value!] = byValue.GetValueOrDefault(value!) + weight;
    }

    public long Score(V1Node node)
    {
        var labels = node.Metadata?.Labels;
        var score = 0L;
        foreach (var (key, byValue) in _scores)
        {
            if (labels?.TryGetValue(key, out var value) == true)
            {
                score += byValue.GetValueOrDefault(value);
            }
        }

        return score;
    }

    public IStateData Clone() => this;
}
