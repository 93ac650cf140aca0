using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateResourceQuotaSpec and ValidateResourceQuotaUpdate (scopes are fixed).</summary>
public static class ResourceQuotaValidation
{
    private static readonly HashSet<string> Scopes = ["Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity", "VolumeAttributesClass"];

    private static readonly HashSet<string> PodScopedResources = ["pods", "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"];

    public static List<FieldError> Validate(V1ResourceQuota quota)
    {
        var spec = quota.Spec ?? new V1ResourceQuotaSpec();
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        foreach (var (name, quantity) in (spec.Hard ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var itemPath = path.Child("hard").Key(name);
            errors.AddRange(ResourceNames.ValidateForQuota(name, itemPath));
            errors.AddRange(ResourceRequirementsValidation.ValidateQuantity(name, quantity, itemPath));
        }

        var scopes = spec.Scopes ?? [];
        var scopesValue = ScopesValue(scopes);
        foreach (var scope in scopes)
        {
            if (!Scopes.Contains(scope))
            {
                errors.Add(FieldError.Invalid(path.Child("scopes"), scopesValue, "unsupported scope"));
            }

            foreach (var name in (spec.Hard?.Keys ?? []).Order(StringComparer.Ordinal))
            {
                if (ResourceNames.IsStandardQuota(name) && !ScopeAppliesTo(scope, name))
                {
                    errors.Add(FieldError.Invalid(path.Child("scopes"), scopesValue, "unsupported scope applied to resource"));
                }
            }
        }

        errors.AddRange(ConflictingScopes(scopes, path.Child("scopes"), scopesValue));
        var expressions = spec.ScopeSelector?.MatchExpressions ?? [];
        var expressionsPath = path.Child("scopeSelector", "matchExpressions");
        foreach (var requirement in expressions)
        {
            if (!Scopes.Contains(requirement.ScopeName ?? string.Empty))
            {
                errors.Add(FieldError.Invalid(expressionsPath.Child("scopeName"), requirement.ScopeName ?? string.Empty, "unsupported scope"));
            }

            switch (requirement.OperatorProperty)
            {
                case "In" or "NotIn" when requirement.Values is not { Count: > 0 }:
                    errors.Add(FieldError.Required(expressionsPath.Child("values"), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
                    break;
                case "Exists" or "DoesNotExist" when requirement.Values is { Count: > 0 }:
                    errors.Add(FieldError.Invalid(expressionsPath.Child("values"), GoSyntax.StringSlice(requirement.Values), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    break;
                default:
                    errors.Add(FieldError.Invalid(expressionsPath.Child("operator"), requirement.OperatorProperty ?? string.Empty, "not a valid selector operator"));
                    break;
            }
        }

        errors.AddRange(ConflictingScopes([.. expressions.Select(e => e.ScopeName ?? string.Empty)], expressionsPath, scopesValue));
        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1ResourceQuota quota, V1ResourceQuota old)
    {
        var errors = Validate(quota);
        var scopes = (quota.Spec?.Scopes ?? []).ToHashSet(StringComparer.Ordinal);
        if (!scopes.SetEquals(old.Spec?.Scopes ?? []))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("scopes"), ScopesValue(quota.Spec?.Scopes ?? []), ValidationText.FieldImmutable));
        }

        return errors;
    }

    private static GoValue ScopesValue(IList<string> scopes) =>
        new(scopes.Count == 0 ? "[]core.ResourceQuotaScope(nil)" : "[]core.ResourceQuotaScope{" + string.Join(", ", scopes.Select(GoQuote.Quote)) + "}");

    // Upstream IsResourceQuotaScopeValidForResource: pod-level scopes only count pod resources.
    private static bool ScopeAppliesTo(string scope, string resource) => scope switch
    {
        "Terminating" or "NotTerminating" or "NotBestEffort" or "PriorityClass" => PodScopedResources.Contains(resource),
        "BestEffort" => resource == "pods",
        "CrossNamespacePodAffinity" => resource == "pods",
        "VolumeAttributesClass" => resource is "persistentvolumeclaims" or "requests.storage",
        _ => true,
    };

    private static IEnumerable<FieldError> ConflictingScopes(IList<string> scopes, FieldPath path, GoValue printed)
    {
        foreach (var (a, b) in new[] { ("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating") })
        {
            if (scopes.Contains(a) && scopes.Contains(b))
            {
                yield return FieldError.Invalid(path, printed, "conflicting scopes");
            }
        }
    }
}
