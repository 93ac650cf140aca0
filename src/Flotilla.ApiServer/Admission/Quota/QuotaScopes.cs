using k8s.Models;

namespace Flotilla.ApiServer.Admission.Quota;

/// <summary>
/// Whether an object falls under a quota's scopes (upstream's pod scope matching): Terminating, NotTerminating,
/// BestEffort, NotBestEffort, PriorityClass and CrossNamespacePodAffinity look at pods; other kinds match any scope.
/// A quota without scopes matches everything.
/// </summary>
public static class QuotaScopes
{
    public static bool Matches(V1ResourceQuota quota, object obj)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return Selectors(quota).All(s => Matches(s, obj));
    }

    public static IEnumerable<V1ScopedResourceSelectorRequirement> Selectors(V1ResourceQuota quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        foreach (var scope in quota.Spec?.Scopes ?? [])
        {
            yield return new V1ScopedResourceSelectorRequirement { ScopeName = scope, OperatorProperty = "Exists" };
        }

        foreach (var requirement in quota.Spec?.ScopeSelector?.MatchExpressions ?? [])
        {
            yield return requirement;
        }
    }

    private static bool Matches(V1ScopedResourceSelectorRequirement selector, object obj)
    {
        if (obj is not V1Pod pod)
        {
            return true;
        }

        return selector.ScopeName switch
        {
            "Terminating" => pod.Spec?.ActiveDeadlineSeconds is >= 0,
            "NotTerminating" => pod.Spec?.ActiveDeadlineSeconds is not >= 0,
            "BestEffort" => QuotaUsage.IsBestEffort(pod),
            "NotBestEffort" => !QuotaUsage.IsBestEffort(pod),
            "PriorityClass" => MatchesPriorityClass(selector, pod.Spec?.PriorityClassName ?? string.Empty),
            "CrossNamespacePodAffinity" => UsesCrossNamespaceAffinity(pod),
            _ => false,
        };
    }

    private static bool MatchesPriorityClass(V1ScopedResourceSelectorRequirement selector, string priorityClass) => selector.OperatorProperty switch
    {
        "Exists" => priorityClass.Length > 0,
        "DoesNotExist" => priorityClass.Length == 0,
        "In" => selector.Values?.Contains(priorityClass) == true,
        "NotIn" => selector.Values?.Contains(priorityClass) != true,
        _ => false,
    };

    private static bool UsesCrossNamespaceAffinity(V1Pod pod)
    {
        var affinity = pod.Spec?.Affinity;
        var terms = (affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
            .Concat(affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution?.Select(w => w.PodAffinityTerm) ?? [])
            .Concat(affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? [])
            .Concat(affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution?.Select(w => w.PodAffinityTerm) ?? []);
        return terms.Any(t => t.Namespaces is { Count: > 0 } || t.NamespaceSelector is not null);
    }
}
