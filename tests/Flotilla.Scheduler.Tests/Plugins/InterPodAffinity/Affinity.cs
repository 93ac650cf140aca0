using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.InterPodAffinity;

/// <summary>Pod (anti-)affinity terms for the InterPodAffinity tests, shaped like upstream's test wrappers.</summary>
internal static class Affinity
{
    /// <summary>The namespaces of upstream's tests, labelled by team.</summary>
    public static V1Namespace[] Namespaces =>
    [
        Namespace("subteam1.team1", "team=team1"),
        Namespace("subteam2.team1", "team=team1"),
        Namespace("subteam1.team2", "team=team2"),
        Namespace("subteam2.team2", "team=team2"),
    ];

    public static V1LabelSelectorRequirement Req(string key, string op, params string[] values) =>
        new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };

    public static V1PodAffinityTerm Term(string topologyKey, params V1LabelSelectorRequirement[] requirements) =>
        new() { TopologyKey = topologyKey, LabelSelector = new V1LabelSelector { MatchExpressions = requirements } };

    public static V1PodAffinityTerm In(string key, string topologyKey, params string[] values) => Term(topologyKey, Req(key, "In", values));

    public static V1PodAffinityTerm NotIn(string key, string topologyKey, params string[] values) => Term(topologyKey, Req(key, "NotIn", values));

    public static V1PodAffinityTerm Exists(string key, string topologyKey) => Term(topologyKey, Req(key, "Exists"));

    public static V1PodAffinityTerm InNamespaces(this V1PodAffinityTerm term, params string[] namespaces)
    {
        term.Namespaces = namespaces;
        return term;
    }

    public static V1PodAffinityTerm InTeam(this V1PodAffinityTerm term, string team)
    {
        term.NamespaceSelector = new V1LabelSelector { MatchExpressions = [Req("team", "In", team)] };
        return term;
    }

    public static V1PodAffinityTerm InAllNamespaces(this V1PodAffinityTerm term)
    {
        term.NamespaceSelector = new V1LabelSelector();
        return term;
    }

    public static V1Pod Requiring(this V1Pod pod, params V1PodAffinityTerm[] terms)
    {
        Of(pod).PodAffinity ??= new V1PodAffinity();
        pod.Spec.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution = [.. pod.Spec.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution ?? [], .. terms];
        return pod;
    }

    public static V1Pod Avoiding(this V1Pod pod, params V1PodAffinityTerm[] terms)
    {
        Of(pod).PodAntiAffinity ??= new V1PodAntiAffinity();
        pod.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution = [.. pod.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution ?? [], .. terms];
        return pod;
    }

    public static V1Pod Preferring(this V1Pod pod, int weight, V1PodAffinityTerm term)
    {
        Of(pod).PodAffinity ??= new V1PodAffinity();
        pod.Spec.Affinity.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution =
            [.. pod.Spec.Affinity.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution ?? [], new V1WeightedPodAffinityTerm { PodAffinityTerm = term, Weight = weight }];
        return pod;
    }

    public static V1Pod PreferringAway(this V1Pod pod, int weight, V1PodAffinityTerm term)
    {
        Of(pod).PodAntiAffinity ??= new V1PodAntiAffinity();
        pod.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution =
            [.. pod.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution ?? [], new V1WeightedPodAffinityTerm { PodAffinityTerm = term, Weight = weight }];
        return pod;
    }

    private static V1Namespace Namespace(string name, params string[] labels) => new() { Metadata = new V1ObjectMeta { Name = name, Labels = LabelSets.Of(labels) } };

    private static V1Affinity Of(V1Pod pod) => pod.Spec.Affinity ??= new V1Affinity();
}
