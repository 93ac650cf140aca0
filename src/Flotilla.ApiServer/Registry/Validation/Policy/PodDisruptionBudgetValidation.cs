using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Apps;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Policy;

/// <summary>Upstream ValidatePodDisruptionBudgetSpec (policy/v1; create and update validate the same).</summary>
public static class PodDisruptionBudgetValidation
{
    public static List<FieldError> Validate(V1PodDisruptionBudget budget)
    {
        var spec = budget.Spec ?? new V1PodDisruptionBudgetSpec();
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        if (spec.MinAvailable?.Value is not null && spec.MaxUnavailable?.Value is not null)
        {
            errors.Add(FieldError.Invalid(path, new GoValue("policy.PodDisruptionBudgetSpec{...}"), "minAvailable and maxUnavailable cannot be both set"));
        }

        foreach (var (name, value) in new[] { ("minAvailable", spec.MinAvailable), ("maxUnavailable", spec.MaxUnavailable) })
        {
            if (value?.Value is not null)
            {
                errors.AddRange(IntOrPercent.NonNegative(value, path.Child(name)));
                errors.AddRange(IntOrPercent.NotMoreThan100Percent(value, path.Child(name)));
            }
        }

        errors.AddRange(LabelSelectorValidation.Validate(spec.Selector, path.Child("selector")));
        if (spec.UnhealthyPodEvictionPolicy is { } policy && policy is not ("AlwaysAllow" or "IfHealthyBudget"))
        {
            errors.Add(FieldError.NotSupported(path.Child("unhealthyPodEvictionPolicy"), policy, ["AlwaysAllow", "IfHealthyBudget"]));
        }

        return errors;
    }
}
