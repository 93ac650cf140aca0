using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's SetDefaults_LimitRangeItem: for containers, a missing default limit is the max, and a missing default
/// request is the default limit, else the min.
/// </summary>
public static class LimitRangeDefaults
{
    public const string Container = "Container";

    public static void Apply(V1LimitRange limitRange)
    {
        ArgumentNullException.ThrowIfNull(limitRange);
        foreach (var item in limitRange.Spec?.Limits ?? [])
        {
            if (item.Type == Container)
            {
                item.DefaultProperty = Fill(item.DefaultProperty, item.Max);
                item.DefaultRequest = Fill(item.DefaultRequest, item.DefaultProperty);
                item.DefaultRequest = Fill(item.DefaultRequest, item.Min);
            }

            ResourceListDefaults.RoundUpToMilli(item.Max);
            ResourceListDefaults.RoundUpToMilli(item.Min);
            ResourceListDefaults.RoundUpToMilli(item.DefaultProperty);
            ResourceListDefaults.RoundUpToMilli(item.DefaultRequest);
            ResourceListDefaults.RoundUpToMilli(item.MaxLimitRequestRatio);
        }
    }

    // Adds the entries of source that target lacks; a list left empty stays absent, as Go omits empty maps.
    private static IDictionary<string, ResourceQuantity>? Fill(
        IDictionary<string, ResourceQuantity>? target, IDictionary<string, ResourceQuantity>? source)
    {
        foreach (var (name, quantity) in source ?? new Dictionary<string, ResourceQuantity>())
        {
            target ??= new Dictionary<string, ResourceQuantity>();
            target.TryAdd(name, quantity);
        }

        return target;
    }
}
