using k8s.Models;

namespace Flotilla.Api.Selectors;

/// <summary>
/// A pod's hard node constraints, parsed once (upstream nodeaffinity.GetRequiredNodeAffinity): its
/// <c>nodeSelector</c> and its required node affinity terms must both match.
/// </summary>
public sealed class RequiredNodeAffinity
{
    private readonly LabelSelector? _nodeSelector;
    private readonly IReadOnlyList<NodeSelectorTerm>? _terms;

    private RequiredNodeAffinity(LabelSelector? nodeSelector, IReadOnlyList<NodeSelectorTerm>? terms)
    {
        _nodeSelector = nodeSelector;
        _terms = terms;
    }

    public static RequiredNodeAffinity Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var nodeSelector = pod.Spec?.NodeSelector is { Count: > 0 } labels ? LabelSelector.FromSet(labels) : null;
        var required = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        return new RequiredNodeAffinity(nodeSelector, required is null ? null : NodeSelectors.Parse(required));
    }

    /// <summary>Terms that do not parse are skipped, as upstream's lazy-error selector does when filtering.</summary>
    public bool Matches(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_nodeSelector is not null && !_nodeSelector.Matches(NodeSelectors.Labels(node)))
        {
            return false;
        }

        return _terms is null || NodeSelectors.Matches(_terms, node);
    }
}
