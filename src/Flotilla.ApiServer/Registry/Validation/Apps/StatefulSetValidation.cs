using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Apps;

/// <summary>
/// Upstream ValidateStatefulSetSpec and ValidateStatefulSetUpdate. As upstream, only the template's labels and
/// annotations are checked, not its pod spec (the controller reports a bad pod spec when it creates pods).
/// </summary>
public static class StatefulSetValidation
{
    private const string DefaultPodManagementPolicy = "OrderedReady";
    private const int DefaultRevisionHistoryLimit = 10;

    public static List<FieldError> Validate(V1StatefulSet statefulSet)
    {
        var spec = statefulSet.Spec ?? new V1StatefulSetSpec();
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        var policy = string.IsNullOrEmpty(spec.PodManagementPolicy) ? DefaultPodManagementPolicy : spec.PodManagementPolicy;
        if (policy is not ("OrderedReady" or "Parallel"))
        {
            errors.Add(FieldError.Invalid(path.Child("podManagementPolicy"), policy, "must be 'OrderedReady' or 'Parallel'"));
        }

        errors.AddRange(UpdateStrategy(spec.UpdateStrategy, path.Child("updateStrategy")));
        if (spec.PersistentVolumeClaimRetentionPolicy is { } retention)
        {
            var retentionPath = path.Child("persistentVolumeClaimRetentionPolicy");
            foreach (var (name, value) in new[] { ("whenDeleted", retention.WhenDeleted), ("whenScaled", retention.WhenScaled) })
            {
                // Each defaults to Retain.
                if (!string.IsNullOrEmpty(value) && value is not ("Retain" or "Delete"))
                {
                    errors.Add(FieldError.NotSupported(retentionPath.Child(name), value, ["Retain", "Delete"]));
                }
            }
        }

        errors.AddRange(FieldChecks.NonNegative(spec.Replicas, path.Child("replicas")));
        errors.AddRange(FieldChecks.NonNegative(spec.MinReadySeconds, path.Child("minReadySeconds")));
        errors.AddRange(FieldChecks.NonNegative(spec.Ordinals?.Start, path.Child("ordinals.start")));
        var selector = WorkloadTemplateValidation.Selector(spec.Selector, "statefulset", path.Child("selector"), string.Empty, errors);
        var templatePath = path.Child("template");
        if (selector is not null)
        {
            var template = spec.Template ?? new V1PodTemplateSpec();
            errors.AddRange(WorkloadTemplateValidation.SelectorMatches(selector, template, templatePath));
            errors.AddRange(FieldChecks.Labels(template.Metadata?.Labels, templatePath.Child("labels")));
            errors.AddRange(FieldChecks.Annotations(template.Metadata?.Annotations, templatePath.Child("annotations")));
            errors.AddRange(Core.PodTemplateValidation.SpecificAnnotations(template.Metadata?.Annotations, template.Spec ?? new V1PodSpec(), templatePath.Child("annotations")));
        }

        errors.AddRange(WorkloadTemplateValidation.AlwaysRestartNoDeadline(spec.Template, templatePath, "StatefulSet"));
        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1StatefulSet statefulSet, V1StatefulSet old)
    {
        var errors = Validate(statefulSet);
        if (!ModelJson.SemanticEqual(FixedFields(statefulSet.Spec), FixedFields(old.Spec)))
        {
            errors.Add(FieldError.Forbidden(
                FieldPath.Root("spec"),
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
        }

        return errors;
    }

    // The spec without the fields an update may change, with defaults applied so an omitted default is no change.
    private static V1StatefulSetSpec FixedFields(V1StatefulSetSpec? spec) => new()
    {
        PodManagementPolicy = string.IsNullOrEmpty(spec?.PodManagementPolicy) ? DefaultPodManagementPolicy : spec.PodManagementPolicy,
        RevisionHistoryLimit = spec?.RevisionHistoryLimit ?? DefaultRevisionHistoryLimit,
        Selector = spec?.Selector,
        ServiceName = string.IsNullOrEmpty(spec?.ServiceName) ? null : spec.ServiceName,
        VolumeClaimTemplates = spec?.VolumeClaimTemplates,
    };

    private static IEnumerable<FieldError> UpdateStrategy(V1StatefulSetUpdateStrategy? strategy, FieldPath path)
    {
        // The strategy defaults to RollingUpdate.
        var type = string.IsNullOrEmpty(strategy?.Type) ? "RollingUpdate" : strategy.Type;
        var rolling = strategy?.RollingUpdate;
        switch (type)
        {
            case "OnDelete":
                if (rolling is not null)
                {
                    yield return FieldError.Invalid(path.Child("rollingUpdate"), RollingValue(rolling), "only allowed for updateStrategy 'RollingUpdate'");
                }

                break;
            case "RollingUpdate":
                if (rolling is null)
                {
                    break;
                }

                var rollingPath = path.Child("rollingUpdate");
                foreach (var e in FieldChecks.NonNegative(rolling.Partition, rollingPath.Child("partition")))
                {
                    yield return e;
                }

                if (rolling.MaxUnavailable is { } unavailable)
                {
                    var unavailablePath = rollingPath.Child("maxUnavailable");
                    foreach (var e in IntOrPercent.NonNegative(unavailable, unavailablePath))
                    {
                        yield return e;
                    }

                    if (IntOrPercent.Value(unavailable) == 0)
                    {
                        yield return FieldError.Invalid(unavailablePath, GoSyntax.IntOrString(unavailable), "cannot be 0");
                    }

                    foreach (var e in IntOrPercent.NotMoreThan100Percent(unavailable, unavailablePath))
                    {
                        yield return e;
                    }
                }

                break;
            default:
                var printed = new GoValue($"apps.StatefulSetUpdateStrategy{{Type:{GoQuote.Quote(type)}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}}");
                yield return FieldError.Invalid(path, printed, "must be 'RollingUpdate' or 'OnDelete'");
                break;
        }
    }

    private static GoValue RollingValue(V1RollingUpdateStatefulSetStrategy rolling) =>
        new($"apps.RollingUpdateStatefulSetStrategy{{Partition:{rolling.Partition ?? 0}, MaxUnavailable:(*intstr.IntOrString)(nil)}}");
}
