using System.Diagnostics.CodeAnalysis;
using Flotilla.Api.Selectors;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>Upstream metav1 validation's ValidateLabelSelector, and the conversion to a selector the workload checks need.</summary>
public static class LabelSelectorValidation
{
    public static IEnumerable<FieldError> Validate(V1LabelSelector? selector, FieldPath path, bool allowInvalidLabelValue = false)
    {
        if (selector is null)
        {
            yield break;
        }

        foreach (var e in FieldChecks.Labels(selector.MatchLabels, path.Child("matchLabels")))
        {
            yield return e;
        }

        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            foreach (var e in ValidateRequirement(expressions[i], path.Child("matchExpressions").Index(i), allowInvalidLabelValue))
            {
                yield return e;
            }
        }
    }

    /// <summary>Upstream LabelSelectorAsSelector: false when the selector cannot be built (an invalid key, value or operator).</summary>
    public static bool TryBuild(V1LabelSelector? selector, [NotNullWhen(true)] out LabelSelector? built)
    {
        try
        {
            built = LabelSelector.FromModel(selector);
            return true;
        }
        catch (LabelSelectorException)
        {
            built = null;
            return false;
        }
    }

    public static bool IsEmpty(V1LabelSelector? selector) =>
        selector is not null && (selector.MatchLabels?.Count ?? 0) + (selector.MatchExpressions?.Count ?? 0) == 0;

    private static IEnumerable<FieldError> ValidateRequirement(V1LabelSelectorRequirement requirement, FieldPath path, bool allowInvalidLabelValue)
    {
        var values = requirement.Values ?? [];
        switch (requirement.OperatorProperty)
        {
            case "In" or "NotIn":
                if (values.Count == 0)
                {
                    yield return FieldError.Required(path.Child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
                }

                break;
            case "Exists" or "DoesNotExist":
                if (values.Count > 0)
                {
                    yield return FieldError.Forbidden(path.Child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }

                break;
            default:
                yield return FieldError.Invalid(path.Child("operator"), requirement.OperatorProperty ?? string.Empty, "not a valid selector operator");
                break;
        }

        foreach (var e in KeyAndValues(requirement.Key, values, path, allowInvalidLabelValue))
        {
            yield return e;
        }
    }

    /// <summary>The key and values of a selector requirement (label or node selector): a label name and label values.</summary>
    internal static IEnumerable<FieldError> KeyAndValues(string? key, IList<string> values, FieldPath path, bool allowInvalidLabelValue)
    {
        foreach (var e in ObjectMetaValidation.ValidateLabelName(key ?? string.Empty, path.Child("key")))
        {
            yield return e;
        }

        if (allowInvalidLabelValue)
        {
            yield break;
        }

        for (var i = 0; i < values.Count; i++)
        {
            foreach (var message in NameValidation.IsValidLabelValue(values[i]))
            {
                yield return FieldError.Invalid(path.Child("values").Index(i), values[i], message);
            }
        }
    }
}
