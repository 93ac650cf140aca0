using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetObjectDefaults_ResourceQuota: only the resource lists' rounding.</summary>
public static class ResourceQuotaDefaults
{
    public static void Apply(V1ResourceQuota quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        ResourceListDefaults.RoundUpToMilli(quota.Spec?.Hard);
        ResourceListDefaults.RoundUpToMilli(quota.Status?.Hard);
        ResourceListDefaults.RoundUpToMilli(quota.Status?.Used);
    }
}
