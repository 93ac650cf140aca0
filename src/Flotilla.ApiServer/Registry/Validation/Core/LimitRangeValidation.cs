using System.Globalization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateLimitRange: type names, resource names, and min ≤ defaultRequest ≤ default ≤ max.</summary>
public static class LimitRangeValidation
{
    private static readonly HashSet<string> StandardTypes = ["Pod", "Container", "PersistentVolumeClaim"];

    public static List<FieldError> Validate(V1LimitRange limitRange)
    {
        var errors = new List<FieldError>();
        var limits = limitRange.Spec?.Limits ?? [];
        var types = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            var type = limit.Type ?? string.Empty;
            var path = FieldPath.Root("spec").Child("limits").Index(i);
            errors.AddRange(TypeName(type, path.Child("type")));
            if (!types.Add(type))
            {
                errors.Add(FieldError.Duplicate(path.Child("type"), type));
            }

            var max = Section(limit.Max, type, path.Child("max"), errors);
            var min = Section(limit.Min, type, path.Child("min"), errors);
            Dictionary<string, ResourceQuantity> defaults = [], defaultRequests = [];
            if (type == "Pod")
            {
                if (limit.DefaultProperty is { Count: > 0 })
                {
                    errors.Add(FieldError.Forbidden(path.Child("default"), "may not be specified when `type` is 'Pod'"));
                }

                if (limit.DefaultRequest is { Count: > 0 })
                {
                    errors.Add(FieldError.Forbidden(path.Child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
                }
            }
            else
            {
                defaults = Section(limit.DefaultProperty, type, path.Child("default"), errors);
                defaultRequests = Section(limit.DefaultRequest, type, path.Child("defaultRequest"), errors);
            }

            if (type == "PersistentVolumeClaim" && !min.ContainsKey("storage") && !max.ContainsKey("storage"))
            {
                errors.Add(FieldError.Required(path.Child("limits"), "either minimum or maximum storage value is required, but neither was provided"));
            }

            var ratios = Section(limit.MaxLimitRequestRatio, type, path.Child("maxLimitRequestRatio"), errors);
            var keys = max.Keys.Concat(min.Keys).Concat(defaults.Keys).Concat(defaultRequests.Keys).Concat(ratios.Keys).Distinct().Order(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                errors.AddRange(Bounds(key, min.GetValueOrDefault(key), max.GetValueOrDefault(key), defaults.GetValueOrDefault(key), defaultRequests.GetValueOrDefault(key), ratios.GetValueOrDefault(key), path));
            }
        }

        return errors;
    }

    private static IEnumerable<FieldError> TypeName(string type, FieldPath path)
    {
        var errors = NameValidation.IsQualifiedName(type).Select(m => FieldError.Invalid(path, type, m)).ToList();
        if (errors.Count == 0 && !type.Contains('/', StringComparison.Ordinal) && !StandardTypes.Contains(type))
        {
            errors.Add(FieldError.Invalid(path, type, "must be a standard limit type or fully qualified"));
        }

        return errors;
    }

    private static Dictionary<string, ResourceQuantity> Section(IDictionary<string, ResourceQuantity>? values, string type, FieldPath path, List<FieldError> errors)
    {
        var section = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        foreach (var (name, quantity) in (values ?? new Dictionary<string, ResourceQuantity>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            errors.AddRange(type is "Pod" or "Container" ? ResourceNames.ValidateForContainer(name, path.Key(name)) : ResourceNames.Validate(name, path.Key(name)));
            section[name] = quantity;
        }

        return section;
    }

    private static IEnumerable<FieldError> Bounds(
        string key, ResourceQuantity? min, ResourceQuantity? max, ResourceQuantity? @default, ResourceQuantity? defaultRequest, ResourceQuantity? ratio, FieldPath path)
    {
        static GoValue Printed(ResourceQuantity? q) => new(Quantities.Canonical(q));
        static string Text(ResourceQuantity? q) => Quantities.Canonical(q);
        if (min is not null && max is not null && Quantities.Compare(min, max) > 0)
        {
            yield return FieldError.Invalid(path.Child("min").Key(key), Printed(min), $"min value {Text(min)} is greater than max value {Text(max)}");
        }

        if (defaultRequest is not null && min is not null && Quantities.Compare(min, defaultRequest) > 0)
        {
            yield return FieldError.Invalid(path.Child("defaultRequest").Key(key), Printed(defaultRequest), $"min value {Text(min)} is greater than default request value {Text(defaultRequest)}");
        }

        if (defaultRequest is not null && max is not null && Quantities.Compare(defaultRequest, max) > 0)
        {
            yield return FieldError.Invalid(path.Child("defaultRequest").Key(key), Printed(defaultRequest), $"default request value {Text(defaultRequest)} is greater than max value {Text(max)}");
        }

        if (defaultRequest is not null && @default is not null && Quantities.Compare(defaultRequest, @default) > 0)
        {
            yield return FieldError.Invalid(path.Child("defaultRequest").Key(key), Printed(defaultRequest), $"default request value {Text(defaultRequest)} is greater than default limit value {Text(@default)}");
        }

        if (@default is not null && min is not null && Quantities.Compare(min, @default) > 0)
        {
            yield return FieldError.Invalid(path.Child("default").Key(key), Printed(min), $"min value {Text(min)} is greater than default value {Text(@default)}");
        }

        if (@default is not null && max is not null && Quantities.Compare(@default, max) > 0)
        {
            yield return FieldError.Invalid(path.Child("default").Key(key), Printed(max), $"default value {Text(@default)} is greater than max value {Text(max)}");
        }

        if (ratio is not null && Quantities.Value(ratio) < 1)
        {
            yield return FieldError.Invalid(path.Child("maxLimitRequestRatio").Key(key), Printed(ratio), $"ratio {Text(ratio)} is less than 1");
        }

        if (ratio is not null && min is not null && max is not null && Quantities.Value(min) != 0)
        {
            var limit = (double)(Quantities.Value(max) / Quantities.Value(min));
            if ((double)Quantities.Value(ratio) > limit)
            {
                yield return FieldError.Invalid(path.Child("maxLimitRequestRatio").Key(key), Printed(ratio), $"ratio {Text(ratio)} is greater than max/min = {limit.ToString("F6", CultureInfo.InvariantCulture)}");
            }
        }

        if (!ResourceNames.IsOvercommitAllowed(key) && @default is not null && defaultRequest is not null && Quantities.Compare(@default, defaultRequest) != 0)
        {
            yield return FieldError.Invalid(path.Child("defaultRequest").Key(key), Printed(defaultRequest), $"default value {Text(@default)} must equal to defaultRequest value {Text(defaultRequest)} in {key}");
        }
    }
}
