using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.InterPodAffinity;

/// <summary>
/// What PreFilter computes (upstream preFilterState): per topology pair, the existing pods whose required
/// anti-affinity matches the incoming pod, and the existing pods matching the incoming pod's required affinity and
/// anti-affinity terms. The incoming pod's terms have their namespace selectors resolved to namespaces.
/// </summary>
internal sealed class PreFilterState(
    V1Pod pod,
    IReadOnlyList<AffinityTerm> affinityTerms,
    IReadOnlyList<AffinityTerm> antiAffinityTerms,
    IReadOnlyDictionary<string, string>? namespaceLabels,
    TopologyCounts existingAntiAffinityCounts,
    TopologyCounts affinityCounts,
    TopologyCounts antiAffinityCounts) : IStateData
{
    public V1Pod Pod => pod;

    public IReadOnlyList<AffinityTerm> AffinityTerms => affinityTerms;

    public IReadOnlyList<AffinityTerm> AntiAffinityTerms => antiAffinityTerms;

    /// <summary>Labels of the incoming pod's namespace, for matching existing pods' namespace selectors.</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels => namespaceLabels;

    public TopologyCounts ExistingAntiAffinityCounts => existingAntiAffinityCounts;

    public TopologyCounts AffinityCounts => affinityCounts;

    public TopologyCounts AntiAffinityCounts => antiAffinityCounts;

    /// <summary>Counts <paramref name="existing"/> on <paramref name="node"/> in (+1) or out (-1), for preemption.</summary>
    public void Update(PodInfo existing, V1Node? node, long delta)
    {
        if (node is null)
        {
            return;
        }

        existingAntiAffinityCounts.AddForEachMatch(existing.RequiredAntiAffinityTerms, pod, namespaceLabels, node, delta);
        affinityCounts.AddIfMatchesAll(affinityTerms, existing.Pod, node, delta);
        antiAffinityCounts.AddForEachMatch(antiAffinityTerms, existing.Pod, null, node, delta);
    }

    public IStateData Clone() => new PreFilterState(
        pod,
        affinityTerms,
        antiAffinityTerms,
        namespaceLabels,
        existingAntiAffinityCounts.Clone(),
        affinityCounts.Clone(),
        antiAffinityCounts.Clone());
}
