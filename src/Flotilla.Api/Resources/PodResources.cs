using k8s.Models;

namespace Flotilla.Api.Resources;

/// <summary>
/// A pod's total requests or limits as upstream's component-helpers PodRequests computes them: the containers' sum;
/// init containers run one at a time, each beside the sidecars (restartPolicy Always) started before it, so the pod
/// needs the larger of the two; sidecars keep running and add to the sum; then the pod overhead.
/// </summary>
public static class PodResources
{
    public static Dictionary<string, decimal> Requests(V1Pod pod, IReadOnlyDictionary<string, decimal>? nonMissing = null) =>
        Total(pod, r => r?.Requests, nonMissing);

    public static Dictionary<string, decimal> Limits(V1Pod pod) => Total(pod, r => r?.Limits);

    /// <param name="nonMissing">Values for resources a container does not set (the scheduler scores with 100m CPU and 200Mi).</param>
    public static Dictionary<string, decimal> Total(
        V1Pod pod,
        Func<V1ResourceRequirements?, IDictionary<string, ResourceQuantity>?> pick,
        IReadOnlyDictionary<string, decimal>? nonMissing = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(pick);
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            Add(totals, Of(container, pick, nonMissing));
        }

        var sidecars = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var initPeak = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var container in pod.Spec?.InitContainers ?? [])
        {
            var own = Of(container, pick, nonMissing);
            if (container.RestartPolicy == "Always")
            {
                Add(totals, own);
                Add(sidecars, own);
                Max(initPeak, sidecars);
            }
            else
            {
                var running = new Dictionary<string, decimal>(sidecars, StringComparer.Ordinal);
                Add(running, own);
                Max(initPeak, running);
            }
        }

        Max(totals, initPeak);
        foreach (var (name, quantity) in pod.Spec?.Overhead ?? new Dictionary<string, ResourceQuantity>())
        {
            totals[name] = totals.GetValueOrDefault(name) + quantity.ToDecimal();
        }

        return totals;
    }

    private static Dictionary<string, decimal> Of(V1Container container, Func<V1ResourceRequirements?, IDictionary<string, ResourceQuantity>?> pick, IReadOnlyDictionary<string, decimal>? nonMissing)
    {
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (name, quantity) in pick(container.Resources) ?? new Dictionary<string, ResourceQuantity>())
        {
            values[name] = quantity.ToDecimal();
        }

        foreach (var (name, value) in nonMissing ?? new Dictionary<string, decimal>())
        {
            values.TryAdd(name, value);
        }

        return values;
    }

    private static void Add(Dictionary<string, decimal> into, Dictionary<string, decimal> values)
    {
        foreach (var (name, value) in values)
        {
            into[name] = into.GetValueOrDefault(name) + value;
        }
    }

    private static void Max(Dictionary<string, decimal> into, Dictionary<string, decimal> values)
    {
        foreach (var (name, value) in values)
        {
            into[name] = Math.Max(into.GetValueOrDefault(name), value);
        }
    }
}
