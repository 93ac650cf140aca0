using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>
/// A pod (anti-)affinity term, parsed once (upstream framework.AffinityTerm): the pods it selects are those in
/// <see cref="Namespaces"/> or in a namespace matching <see cref="NamespaceSelector"/> (the pod's own namespace
/// when both are empty) whose labels match <see cref="Selector"/>.
/// </summary>
public sealed record AffinityTerm(IReadOnlySet<string> Namespaces, LabelSelector Selector, string TopologyKey, LabelSelector NamespaceSelector)
{
    public static AffinityTerm Parse(V1Pod pod, V1PodAffinityTerm term)
    {
        var namespaces = new HashSet<string>(term.Namespaces ?? [], StringComparer.Ordinal);
        if (namespaces.Count == 0 && term.NamespaceSelector is null)
        {
            namespaces.Add(pod.Metadata?.NamespaceProperty ?? string.Empty);
        }

        var selector = LabelSelector.FromModel(term.LabelSelector);
        var own = pod.Metadata?.Labels;
        // matchLabelKeys / mismatchLabelKeys: the incoming pod's values for those keys narrow the selector.
        foreach (var key in term.MatchLabelKeys ?? [])
        {
            if (own?.TryGetValue(key, out var value) == true)
            {
                selector = selector.And(LabelRequirement.Create(key, LabelOperator.In, [value!]));
            }
        }

        foreach (var key in term.MismatchLabelKeys ?? [])
        {
            if (own?.TryGetValue(key, out var value) == true)
            {
                selector = selector.And(LabelRequirement.Create(key, LabelOperator.NotIn, [value!]));
            }
        }

        return new AffinityTerm(namespaces, selector, term.TopologyKey ?? string.Empty, term.NamespaceSelector is null ? LabelSelector.Nothing : LabelSelector.FromModel(term.NamespaceSelector));
    }

    /// <summary>Whether <paramref name="pod"/> is selected; <paramref name="namespaceLabels"/> are its namespace's labels.</summary>
    public bool Matches(V1Pod pod, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        var ns = pod.Metadata?.NamespaceProperty ?? string.Empty;
        if (!Namespaces.Contains(ns) && !NamespaceSelector.Matches(namespaceLabels))
        {
            return false;
        }

        return Selector.Matches(pod.Metadata?.Labels as IReadOnlyDictionary<string, string>);
    }
}
