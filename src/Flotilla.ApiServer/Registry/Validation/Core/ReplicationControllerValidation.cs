using Flotilla.Api.Selectors;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateReplicationControllerSpec (create and update validate the same).</summary>
public static class ReplicationControllerValidation
{
    public static List<FieldError> Validate(V1ReplicationController controller)
    {
        var spec = controller.Spec ?? new V1ReplicationControllerSpec();
        var path = FieldPath.Root("spec");
        var errors = FieldChecks.NonNegative(spec.MinReadySeconds, path.Child("minReadySeconds")).ToList();

        // The selector defaults to the template's labels.
        var selector = spec.Selector is { Count: > 0 } ? spec.Selector : spec.Template?.Metadata?.Labels;
        if (selector is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path.Child("selector")));
        }

        errors.AddRange(FieldChecks.NonNegative(spec.Replicas, path.Child("replicas")));
        var templatePath = path.Child("template");
        if (spec.Template is null)
        {
            errors.Add(FieldError.Required(templatePath));
            return errors;
        }

        if (selector is { Count: > 0 } && !LabelSelector.FromSet(selector).Matches(AsReadOnly(spec.Template.Metadata?.Labels)))
        {
            errors.Add(FieldError.Invalid(templatePath.Child("metadata", "labels"), GoSyntax.StringMap(spec.Template.Metadata?.Labels), ValidationText.SelectorMismatch));
        }

        errors.AddRange(PodTemplateValidation.Validate(spec.Template, templatePath));
        var restartPolicy = PodSpecValidation.RestartPolicy(spec.Template.Spec);
        if (restartPolicy != "Always")
        {
            errors.Add(FieldError.NotSupported(templatePath.Child("spec", "restartPolicy"), restartPolicy, ["Always"]));
        }

        if (spec.Template.Spec?.ActiveDeadlineSeconds is not null)
        {
            errors.Add(FieldError.Forbidden(templatePath.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in ReplicationController is not Supported"));
        }

        return errors;
    }

    public static IReadOnlyDictionary<string, string>? AsReadOnly(IDictionary<string, string>? labels) =>
        labels is null ? null : labels as IReadOnlyDictionary<string, string> ?? new Dictionary<string, string>(labels);
}
