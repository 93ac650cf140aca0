using Flotilla.Client;
using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>A pod with what plugins derive from it computed once (upstream framework.PodInfo).</summary>
public sealed class PodInfo
{
    public PodInfo(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        Pod = pod;
        var affinity = pod.Spec?.Affinity;
        RequiredAffinityTerms = [.. (affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => AffinityTerm.Parse(pod, t))];
        RequiredAntiAffinityTerms = [.. (affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => AffinityTerm.Parse(pod, t))];
        PreferredAffinityTerms = [.. (affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => new WeightedAffinityTerm(AffinityTerm.Parse(pod, t.PodAffinityTerm), t.Weight))];
        PreferredAntiAffinityTerms = [.. (affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => new WeightedAffinityTerm(AffinityTerm.Parse(pod, t.PodAffinityTerm), t.Weight))];
        Requests = Resource.Requests(pod);
        NonZeroRequests = Resource.Requests(pod, nonZero: true);
    }

    public V1Pod Pod { get; }

    public string Key => ObjectKeys.Of(Pod);

    // Arrays, not list interfaces: affinity plugins walk every existing pod's terms each cycle, and a foreach over an
    // interface allocates an enumerator per pod.
    public AffinityTerm[] RequiredAffinityTerms { get; }

    public AffinityTerm[] RequiredAntiAffinityTerms { get; }

    public WeightedAffinityTerm[] PreferredAffinityTerms { get; }

    public WeightedAffinityTerm[] PreferredAntiAffinityTerms { get; }

    public Resource Requests { get; }

    /// <summary>Requests with CPU and memory defaulted where a container sets none (for scoring).</summary>
    public Resource NonZeroRequests { get; }

    public bool HasAffinity => RequiredAffinityTerms.Length + RequiredAntiAffinityTerms.Length + PreferredAffinityTerms.Length + PreferredAntiAffinityTerms.Length > 0;
}
