using k8s.Models;

namespace Flotilla.Api.Resources;

/// <summary>
/// Upstream qos.GetPodQOS: Guaranteed when every container limits CPU and memory and the pod's summed requests equal
/// its summed limits, BestEffort when nothing requests or limits CPU or memory, Burstable otherwise.
/// </summary>
public static class PodQos
{
    public const string Guaranteed = "Guaranteed";
    public const string Burstable = "Burstable";
    public const string BestEffort = "BestEffort";

    private static readonly string[] Compute = ["cpu", "memory"];

    public static string Of(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var requests = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var limits = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var guaranteed = true;
        foreach (var container in (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []))
        {
            Add(requests, container.Resources?.Requests);
            var limited = Add(limits, container.Resources?.Limits);
            if (!Compute.All(limited.Contains))
            {
                guaranteed = false;
            }
        }

        if (requests.Count == 0 && limits.Count == 0)
        {
            return BestEffort;
        }

        guaranteed = guaranteed && requests.All(r => limits.TryGetValue(r.Key, out var limit) && limit == r.Value);
        return guaranteed && requests.Count == limits.Count ? Guaranteed : Burstable;
    }

    /// <summary>Adds the positive CPU and memory quantities; returns the names it added.</summary>
    private static HashSet<string> Add(Dictionary<string, decimal> totals, IDictionary<string, ResourceQuantity>? quantities)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, quantity) in quantities ?? new Dictionary<string, ResourceQuantity>())
        {
            if (Compute.Contains(name) && quantity.ToDecimal() > 0)
            {
                totals[name] = totals.GetValueOrDefault(name) + quantity.ToDecimal();
                found.Add(name);
            }
        }

        return found;
    }
}
