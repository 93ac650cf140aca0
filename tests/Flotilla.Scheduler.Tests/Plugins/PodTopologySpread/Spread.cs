using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.PodTopologySpread;

/// <summary>Nodes, pods and constraints for the PodTopologySpread tests, shaped like upstream's test wrappers.</summary>
internal static class Spread
{
    public const string DoNotSchedule = "DoNotSchedule";
    public const string ScheduleAnyway = "ScheduleAnyway";
    public const string Hostname = "kubernetes.io/hostname";

    public static V1LabelSelector Foo => Exists("foo");

    public static V1LabelSelector Bar => Exists("bar");

    public static V1Taint[] UnschedulableTaint => [new() { Key = "node.kubernetes.io/unschedulable", Value = string.Empty, Effect = "NoSchedule" }];

    public static V1LabelSelector Exists(string key) => new() { MatchExpressions = [new() { Key = key, OperatorProperty = "Exists" }] };

    public static V1LabelSelector Match(params string[] labels) => new() { MatchLabels = LabelSets.Of(labels) };

    public static V1TopologySpreadConstraint Constraint(
        int maxSkew,
        string key,
        string when,
        V1LabelSelector? selector,
        int? minDomains = null,
        string? nodeAffinityPolicy = null,
        string? nodeTaintsPolicy = null,
        IList<string>? matchLabelKeys = null) => new()
        {
            MaxSkew = maxSkew,
            TopologyKey = key,
            WhenUnsatisfiable = when,
            LabelSelector = selector,
            MinDomains = minDomains,
            NodeAffinityPolicy = nodeAffinityPolicy,
            NodeTaintsPolicy = nodeTaintsPolicy,
            MatchLabelKeys = matchLabelKeys,
        };

    public static V1Node Tainted(this V1Node node)
    {
        node.Spec.Taints = UnschedulableTaint;
        return node;
    }

    public static V1Pod With(this V1Pod pod, params V1TopologySpreadConstraint[] constraints)
    {
        pod.Spec.TopologySpreadConstraints = constraints;
        return pod;
    }

    public static V1Pod WithNodeSelector(this V1Pod pod, params string[] labels)
    {
        pod.Spec.NodeSelector = LabelSets.Of(labels);
        return pod;
    }

    public static V1Pod WithNodeAffinity(this V1Pod pod, string key, string op, params string[] values)
    {
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = key, OperatorProperty = op, Values = values }] }],
                },
            },
        };
        return pod;
    }

    /// <summary>Tolerates the NoSchedule taint <paramref name="key"/> whatever its value.</summary>
    public static V1Pod Tolerating(this V1Pod pod, string key)
    {
        pod.Spec.Tolerations = [new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = "NoSchedule" }];
        return pod;
    }

    public static V1Pod Terminating(this V1Pod pod)
    {
        pod.Metadata.DeletionTimestamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return pod;
    }

    public static V1Pod OwnedBy(this V1Pod pod, string apiVersion, string kind, string name, bool controller = true)
    {
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = "uid-" + name, Controller = controller }];
        return pod;
    }
}
