using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateContainerResourceRequirements: names, non-negative quantities, requests within limits.</summary>
public static class ResourceRequirementsValidation
{
    private static readonly HashSet<string> QosResources = ["cpu", "memory"];

    public static List<FieldError> Validate(V1ResourceRequirements? requirements, IReadOnlySet<string> podClaimNames, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (requirements is null)
        {
            return errors;
        }

        var limitsPath = path.Child("limits");
        var requestsPath = path.Child("requests");
        var limits = requirements.Limits ?? new Dictionary<string, ResourceQuantity>();
        bool limitsQos = false, requestsQos = false, hugePages = false;
        foreach (var (name, quantity) in limits.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var itemPath = limitsPath.Key(name);
            errors.AddRange(ResourceNames.ValidateForContainer(name, itemPath));
            errors.AddRange(ValidateQuantity(name, quantity, itemPath));
            hugePages |= ResourceNames.IsHugePages(name);
            limitsQos |= QosResources.Contains(name);
        }

        foreach (var (name, quantity) in (requirements.Requests ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var itemPath = requestsPath.Key(name);
            errors.AddRange(ResourceNames.ValidateForContainer(name, itemPath));
            errors.AddRange(ValidateQuantity(name, quantity, itemPath));
            if (limits.TryGetValue(name, out var limit))
            {
                var comparison = Quantities.Compare(quantity, limit);
                if (comparison != 0 && !ResourceNames.IsOvercommitAllowed(name))
                {
                    errors.Add(FieldError.Invalid(requestsPath, Quantities.Canonical(quantity), $"must be equal to {name} limit of {Quantities.Canonical(limit)}"));
                }
                else if (comparison > 0)
                {
                    errors.Add(FieldError.Invalid(requestsPath, Quantities.Canonical(quantity), $"must be less than or equal to {name} limit of {Quantities.Canonical(limit)}"));
                }
            }
            else if (!ResourceNames.IsOvercommitAllowed(name))
            {
                errors.Add(FieldError.Required(limitsPath, "Limit must be set for non overcommitable resources"));
            }

            hugePages |= ResourceNames.IsHugePages(name);
            requestsQos |= QosResources.Contains(name);
        }

        if (!limitsQos && !requestsQos && hugePages)
        {
            errors.Add(FieldError.Forbidden(path, "HugePages require cpu or memory"));
        }

        errors.AddRange(ValidateClaims(requirements.Claims, podClaimNames, path.Child("claims")));
        return errors;
    }

    /// <summary>Upstream ValidateResourceQuantityValue: not negative, and whole for integer resources.</summary>
    public static List<FieldError> ValidateQuantity(string name, ResourceQuantity? quantity, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (Quantities.IsNegative(quantity))
        {
            errors.Add(FieldError.Invalid(path, Quantities.Canonical(quantity), ValidationText.IsNegative));
        }

        if (ResourceNames.IsInteger(name) && !Quantities.IsInteger(quantity))
        {
            errors.Add(FieldError.Invalid(path, new GoValue(Quantities.Canonical(quantity)), "must be an integer"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateClaims(IList<Corev1ResourceClaim>? claims, IReadOnlySet<string> podClaimNames, FieldPath path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (claims?.Count ?? 0); i++)
        {
            var name = claims![i].Name ?? string.Empty;
            if (name.Length == 0)
            {
                yield return FieldError.Required(path.Index(i));
                continue;
            }

            var key = string.IsNullOrEmpty(claims[i].Request) ? name : name + "/" + claims[i].Request;
            if (!seen.Add(key))
            {
                yield return FieldError.Duplicate(path.Index(i), key);
            }

            if (!podClaimNames.Contains(name))
            {
                var detail = "must be one of the names in pod.spec.resourceClaims" +
                    (podClaimNames.Count == 0 ? " which is empty" : ": " + string.Join(", ", podClaimNames.Order(StringComparer.Ordinal)));
                yield return new FieldError(FieldErrorType.NotFound, path.Index(i), name, detail);
            }
        }
    }
}
