using Flotilla.Api.Selectors;
using Flotilla.Api.Serialization;
using k8s.Models;

namespace Flotilla.Controllers.DaemonSet;

/// <summary>
/// Where a DaemonSet's pods belong (upstream's NodeShouldRunDaemonPod and daemonset util): a node whose name, node
/// selector, affinity and taints the pod fits; daemon pods tolerate node problems (not-ready and unreachable for
/// ever, the pressure and unschedulable taints, network-unavailable with host networking) so they stay through
/// them. A pod placed there before a NoSchedule taint came keeps running.
/// </summary>
public static class DaemonNodes
{
    /// <summary>(should run: a pod belongs here; should continue running: one already here may stay).</summary>
    public static (bool ShouldRun, bool ShouldContinueRunning) ShouldRun(V1Node node, V1DaemonSet daemonSet)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(daemonSet);
        var pod = PodFor(daemonSet, node.Metadata.Name);
        var templateNode = daemonSet.Spec.Template.Spec.NodeName;
        if (!string.IsNullOrEmpty(templateNode) && templateNode != node.Metadata.Name)
        {
            return (false, false);
        }

        if (!RequiredNodeAffinity.Of(pod).Matches(node))
        {
            return (false, false);
        }

        var taints = node.Spec?.Taints ?? [];
        bool Tolerated(V1Taint taint) => (pod.Spec.Tolerations ?? []).Any(t => TaintMatching.Tolerates(t, taint));
        if (taints.Any(t => t.Effect is "NoSchedule" or "NoExecute" && !Tolerated(t)))
        {
            // Placed before the taint came: only an untolerated NoExecute one drives it away.
            return (false, !taints.Any(t => t.Effect == "NoExecute" && !Tolerated(t)));
        }

        return (true, true);
    }

    /// <summary>The pod the DaemonSet would run on a node (upstream's NewPod), with its tolerations, for the checks.</summary>
    public static V1Pod PodFor(V1DaemonSet daemonSet, string nodeName)
    {
        var template = DeepCopy.Of(daemonSet.Spec.Template);
        template.Spec.NodeName = nodeName;
        AddTolerations(template.Spec);
        return new V1Pod { Metadata = template.Metadata ?? new V1ObjectMeta(), Spec = template.Spec };
    }

    /// <summary>Upstream's AddOrUpdateDaemonPodTolerations.</summary>
    public static void AddTolerations(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        AddOrUpdate(spec, "node.kubernetes.io/not-ready", "NoExecute");
        AddOrUpdate(spec, "node.kubernetes.io/unreachable", "NoExecute");
        AddOrUpdate(spec, "node.kubernetes.io/disk-pressure", "NoSchedule");
        AddOrUpdate(spec, "node.kubernetes.io/memory-pressure", "NoSchedule");
        AddOrUpdate(spec, "node.kubernetes.io/pid-pressure", "NoSchedule");
        AddOrUpdate(spec, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (spec.HostNetwork == true)
        {
            AddOrUpdate(spec, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }
    }

    /// <summary>
    /// Upstream's ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes the single term
    /// <c>metadata.name In [node]</c> (preferred terms and other affinities kept), so the default scheduler binds it there.
    /// </summary>
    public static V1Affinity PinToNode(V1Affinity? affinity, string nodeName)
    {
        var copy = affinity is null ? new V1Affinity() : DeepCopy.Of(affinity);
        copy.NodeAffinity ??= new V1NodeAffinity();
        copy.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
        {
            NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [nodeName] }] }],
        };
        return copy;
    }

    /// <summary>The node a daemon pod is for: its nodeName, or the one its affinity pins it to (upstream's GetTargetNodeName).</summary>
    public static string? TargetNode(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            return pod.Spec.NodeName;
        }

        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms ?? [];
        return terms.SelectMany(t => t.MatchFields ?? []).FirstOrDefault(f => f.Key == "metadata.name" && f.OperatorProperty == "In" && f.Values?.Count == 1)?.Values[0];
    }

    private static void AddOrUpdate(V1PodSpec spec, string key, string effect)
    {
        var toleration = new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = effect };
        spec.Tolerations ??= [];
        for (var i = 0; i < spec.Tolerations.Count; i++)
        {
            var t = spec.Tolerations[i];
            if (t.Key == key && t.Effect == effect)
            {
                spec.Tolerations[i] = toleration;
                return;
            }
        }

        spec.Tolerations.Add(toleration);
    }
}
