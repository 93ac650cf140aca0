using Flotilla.Api.Selectors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Apps;

/// <summary>The selector and template rules the apps/v1 controllers share (ValidatePodTemplateSpecForReplicaSet and kin).</summary>
public static class WorkloadTemplateValidation
{
    /// <summary>
    /// Upstream's selector block: required, valid, non-empty for <paramref name="kind"/>; returns the built selector,
    /// or null when it could not be built (reported as <paramref name="unbuildableDetail"/>).
    /// </summary>
    public static LabelSelector? Selector(V1LabelSelector? selector, string kind, FieldPath path, string unbuildableDetail, List<FieldError> errors)
    {
        if (selector is null)
        {
            errors.Add(FieldError.Required(path));
        }
        else
        {
            errors.AddRange(LabelSelectorValidation.Validate(selector, path));
            if (LabelSelectorValidation.IsEmpty(selector))
            {
                errors.Add(FieldError.Invalid(path, GoSyntax.LabelSelector(selector), $"empty selector is invalid for {kind}"));
            }
        }

        if (LabelSelectorValidation.TryBuild(selector, out var built))
        {
            return built;
        }

        errors.Add(FieldError.Invalid(path, GoSyntax.LabelSelector(selector), unbuildableDetail));
        return null;
    }

    /// <summary>The template's labels must be selected (unless the selector is empty).</summary>
    public static IEnumerable<FieldError> SelectorMatches(LabelSelector selector, V1PodTemplateSpec? template, FieldPath templatePath)
    {
        var labels = template?.Metadata?.Labels;
        return !selector.IsEmpty && !selector.Matches(ReplicationControllerValidation.AsReadOnly(labels))
            ? [FieldError.Invalid(templatePath.Child("metadata", "labels"), GoSyntax.StringMap(labels), ValidationText.SelectorMismatch)]
            : [];
    }

    /// <summary>
    /// Upstream ValidatePodTemplateSpecForReplicaSet: the full template, restartPolicy Always, no deadline. A missing
    /// template is validated as an empty one (upstream's template is a struct, never nil).
    /// </summary>
    public static IEnumerable<FieldError> ReplicaSetTemplate(V1PodTemplateSpec? template, LabelSelector selector, FieldPath path, string kind)
    {
        template ??= new V1PodTemplateSpec();
        var errors = SelectorMatches(selector, template, path).ToList();
        errors.AddRange(PodTemplateValidation.Validate(template, path));
        errors.AddRange(AlwaysRestartNoDeadline(template, path, kind));
        return errors;
    }

    public static IEnumerable<FieldError> AlwaysRestartNoDeadline(V1PodTemplateSpec? template, FieldPath path, string kind)
    {
        var restartPolicy = PodSpecValidation.RestartPolicy(template?.Spec);
        if (restartPolicy != "Always")
        {
            yield return FieldError.NotSupported(path.Child("spec", "restartPolicy"), restartPolicy, ["Always"]);
        }

        if (template?.Spec?.ActiveDeadlineSeconds is not null)
        {
            yield return FieldError.Forbidden(path.Child("spec", "activeDeadlineSeconds"), $"activeDeadlineSeconds in {kind} is not Supported");
        }
    }

    /// <summary>apps/v1 selectors are fixed once created.</summary>
    public static IEnumerable<FieldError> ImmutableSelector(V1LabelSelector? selector, V1LabelSelector? old) =>
        FieldChecks.Immutable(selector, old, FieldPath.Root("spec").Child("selector"), GoSyntax.LabelSelector(selector));
}
