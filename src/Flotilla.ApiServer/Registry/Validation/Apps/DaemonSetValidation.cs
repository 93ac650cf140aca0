using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Apps;

/// <summary>Upstream ValidateDaemonSetSpec and, for apps/v1, the fixed selector on update.</summary>
public static class DaemonSetValidation
{
    public static List<FieldError> Validate(V1DaemonSet daemonSet)
    {
        var spec = daemonSet.Spec ?? new V1DaemonSetSpec();
        var path = FieldPath.Root("spec");
        var errors = LabelSelectorValidation.Validate(spec.Selector, path.Child("selector")).ToList();

        // Unlike the other workloads, a missing selector is reported only through the template mismatch.
        if (LabelSelectorValidation.TryBuild(spec.Selector, out var selector) && !selector.Matches(ReplicationControllerValidation.AsReadOnly(spec.Template?.Metadata?.Labels)))
        {
            errors.Add(FieldError.Invalid(path.Child("template", "metadata", "labels"), GoSyntax.StringMap(spec.Template?.Metadata?.Labels), ValidationText.SelectorMismatch));
        }

        if (LabelSelectorValidation.IsEmpty(spec.Selector))
        {
            errors.Add(FieldError.Invalid(path.Child("selector"), GoSyntax.LabelSelector(spec.Selector), "empty selector is invalid for daemonset"));
        }

        errors.AddRange(PodTemplateValidation.Validate(spec.Template, path.Child("template")));
        errors.AddRange(WorkloadTemplateValidation.AlwaysRestartNoDeadline(spec.Template, path.Child("template"), "DaemonSet"));
        errors.AddRange(FieldChecks.NonNegative(spec.MinReadySeconds, path.Child("minReadySeconds")));
        errors.AddRange(UpdateStrategy(spec.UpdateStrategy, path.Child("updateStrategy")));
        errors.AddRange(FieldChecks.NonNegative(spec.RevisionHistoryLimit, path.Child("revisionHistoryLimit")));
        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1DaemonSet daemonSet, V1DaemonSet old)
    {
        var errors = Validate(daemonSet);
        errors.AddRange(WorkloadTemplateValidation.ImmutableSelector(daemonSet.Spec?.Selector, old.Spec?.Selector));
        return errors;
    }

    // The strategy defaults to RollingUpdate with one unavailable pod and no surge.
    private static IEnumerable<FieldError> UpdateStrategy(V1DaemonSetUpdateStrategy? strategy, FieldPath path)
    {
        var type = string.IsNullOrEmpty(strategy?.Type) ? "RollingUpdate" : strategy.Type;
        if (type == "OnDelete")
        {
            yield break;
        }

        if (type != "RollingUpdate")
        {
            var printed = new GoValue($"apps.DaemonSetUpdateStrategy{{Type:{GoQuote.Quote(type)}, RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}}");
            yield return FieldError.NotSupported(path, printed, ["RollingUpdate", "OnDelete"]);
            yield break;
        }

        var rollingPath = path.Child("rollingUpdate");
        var unavailable = strategy?.RollingUpdate?.MaxUnavailable ?? 1;
        var surge = strategy?.RollingUpdate?.MaxSurge ?? 0;
        foreach (var e in IntOrPercent.NonNegative(unavailable, rollingPath.Child("maxUnavailable"))
                     .Concat(IntOrPercent.NonNegative(surge, rollingPath.Child("maxSurge")))
                     .Concat(IntOrPercent.NotMoreThan100Percent(unavailable, rollingPath.Child("maxUnavailable")))
                     .Concat(IntOrPercent.NotMoreThan100Percent(surge, rollingPath.Child("maxSurge"))))
        {
            yield return e;
        }

        var hasUnavailable = IntOrPercent.Value(unavailable) != 0;
        var hasSurge = IntOrPercent.Value(surge) != 0;
        if (hasUnavailable && hasSurge)
        {
            yield return FieldError.Invalid(rollingPath.Child("maxSurge"), GoSyntax.IntOrString(surge), "may not be set when maxUnavailable is non-zero");
        }
        else if (!hasUnavailable && !hasSurge)
        {
            yield return FieldError.Required(rollingPath.Child("maxUnavailable"), "cannot be 0 when maxSurge is 0");
        }
    }
}
