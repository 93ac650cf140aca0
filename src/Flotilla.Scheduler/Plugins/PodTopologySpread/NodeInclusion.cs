using Flotilla.Api.Selectors;
using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// Which nodes count as domains for a pod's spread constraints under nodeAffinityPolicy / nodeTaintsPolicy: its
/// required node affinity (nodeSelector and required terms) and its tolerations of NoSchedule/NoExecute taints.
/// </summary>
internal sealed class NodeInclusion
{
    private readonly RequiredNodeAffinity _affinity;
    private readonly IList<V1Toleration>? _tolerations;

    private NodeInclusion(V1Pod pod)
    {
        _affinity = RequiredNodeAffinity.Of(pod);
        _tolerations = pod.Spec?.Tolerations;
    }

    public static NodeInclusion Of(V1Pod pod) => new(pod);

    public bool MatchesNodeAffinity(V1Node node) => _affinity.Matches(node);

    public bool ToleratesTaints(V1Node node) =>
        Tolerations.FindUntoleratedTaint(node.Spec?.Taints, _tolerations, Tolerations.IsDoNotSchedule) is null;
}
