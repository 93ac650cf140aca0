using Flotilla.Api.Selectors;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Batch;

/// <summary>Upstream ValidateJob and ValidateJobUpdate.</summary>
public static class JobValidation
{
    public static List<FieldError> Validate(V1Job job)
    {
        var errors = GeneratedSelector(job);
        errors.AddRange(ValidateSpec(job.Spec));
        var name = job.Metadata?.Name ?? string.Empty;

        // Indexed pods are named <job>-<index>, which must stay a DNS label.
        if (job.Spec?.CompletionMode == "Indexed" && job.Spec.Completions is > 0 and var completions)
        {
            var hostname = $"{name}-{completions - 1}";
            if (NameValidation.IsDns1123Label(hostname).Count > 0)
            {
                errors.Add(FieldError.Invalid(FieldPath.Root("metadata").Child("name"), name, $"will not able to create pod with invalid DNS label: {hostname}"));
            }
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1Job job, V1Job old)
    {
        var spec = job.Spec ?? new V1JobSpec();
        var oldSpec = old.Spec ?? new V1JobSpec();
        var path = FieldPath.Root("spec");
        var errors = ValidateSpec(spec);
        errors.AddRange(Completions(spec, oldSpec, path.Child("completions")));
        errors.AddRange(WorkloadSelector(spec.Selector, oldSpec.Selector, path.Child("selector")));
        errors.AddRange(Template(job, old, path.Child("template")));
        errors.AddRange(FieldChecks.Immutable(spec.CompletionMode ?? "NonIndexed", oldSpec.CompletionMode ?? "NonIndexed", path.Child("completionMode")));
        errors.AddRange(FieldChecks.Immutable(spec.PodFailurePolicy, oldSpec.PodFailurePolicy, path.Child("podFailurePolicy"), new GoValue("batch.PodFailurePolicy{...}")));
        errors.AddRange(FieldChecks.Immutable(spec.BackoffLimitPerIndex, oldSpec.BackoffLimitPerIndex, path.Child("backoffLimitPerIndex")));
        errors.AddRange(FieldChecks.Immutable(spec.ManagedBy, oldSpec.ManagedBy, path.Child("managedBy")));
        errors.AddRange(FieldChecks.Immutable(spec.SuccessPolicy, oldSpec.SuccessPolicy, path.Child("successPolicy"), new GoValue("batch.SuccessPolicy{...}")));
        return errors;
    }

    /// <summary>Upstream ValidateJobSpec: validateJobSpec plus the selector, which must select the template.</summary>
    private static List<FieldError> ValidateSpec(V1JobSpec? spec)
    {
        var path = FieldPath.Root("spec");
        var errors = JobSpecValidation.Validate(spec, path);
        if (spec?.Selector is null)
        {
            errors.Add(FieldError.Required(path.Child("selector")));
        }
        else
        {
            errors.AddRange(LabelSelectorValidation.Validate(spec.Selector, path.Child("selector")));
        }

        var labels = spec?.Template?.Metadata?.Labels;
        if (LabelSelectorValidation.TryBuild(spec?.Selector, out var selector) && !selector.Matches(ReplicationControllerValidation.AsReadOnly(labels)))
        {
            errors.Add(FieldError.Invalid(path.Child("template", "metadata", "labels"), GoSyntax.StringMap(labels), ValidationText.SelectorMismatch));
        }

        return errors;
    }

    // Upstream validateGeneratedSelector with RequirePrefixedLabels (every new job).
    private static List<FieldError> GeneratedSelector(V1Job job)
    {
        var errors = new List<FieldError>();
        if (job.Spec?.ManualSelector == true || job.Spec?.Selector is null)
        {
            return errors;
        }

        var uid = job.Metadata?.Uid ?? string.Empty;
        var name = job.Metadata?.Name ?? string.Empty;
        if (uid.Length == 0)
        {
            errors.Add(FieldError.Required(FieldPath.Root("metadata").Child("uid")));
        }

        var labels = job.Spec.Template?.Metadata?.Labels;
        var metadataPath = FieldPath.Root("spec").Child("template", "metadata");
        errors.AddRange(FieldChecks.HasLabel(labels, metadataPath, JobSelectors.LegacyControllerUidLabel, uid));
        errors.AddRange(FieldChecks.HasLabel(labels, metadataPath, JobSelectors.LegacyJobNameLabel, name));
        errors.AddRange(FieldChecks.HasLabel(labels, metadataPath, JobSelectors.ControllerUidLabel, uid));
        errors.AddRange(FieldChecks.HasLabel(labels, metadataPath, JobSelectors.JobNameLabel, name));
        var expected = new Dictionary<string, string>
        {
            [JobSelectors.ControllerUidLabel] = uid,
            [JobSelectors.JobNameLabel] = name,
            [JobSelectors.LegacyControllerUidLabel] = uid,
            [JobSelectors.LegacyJobNameLabel] = name,
        };
        if (LabelSelectorValidation.TryBuild(job.Spec.Selector, out var selector) && !selector.Matches(expected))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("selector"), GoSyntax.LabelSelector(job.Spec.Selector), "`selector` not auto-generated"));
        }

        return errors;
    }

    // Completions are fixed, except that an Indexed job may scale them together with parallelism (ElasticIndexedJob).
    private static IEnumerable<FieldError> Completions(V1JobSpec spec, V1JobSpec old, FieldPath path)
    {
        var completions = EffectiveCompletions(spec);
        if (completions == EffectiveCompletions(old))
        {
            return [];
        }

        if (spec.CompletionMode == "Indexed")
        {
            return completions is null || completions == spec.Parallelism
                ? []
                : [FieldError.Invalid(path, completions.Value, "can only be modified in tandem with spec.parallelism")];
        }

        return [FieldError.Invalid(path, (object?)completions ?? GoValue.Null, ValidationText.FieldImmutable)];
    }

    // Both completions and parallelism default to 1 when neither is set.
    private static int? EffectiveCompletions(V1JobSpec spec) => spec.Completions ?? (spec.Parallelism is null ? 1 : null);

    private static IEnumerable<FieldError> WorkloadSelector(V1LabelSelector? selector, V1LabelSelector? old, FieldPath path) =>
        FieldChecks.Immutable(selector, old, path, GoSyntax.LabelSelector(selector));

    // The template is fixed; a suspended job that never started may change its scheduling directives.
    private static IEnumerable<FieldError> Template(V1Job job, V1Job old, FieldPath path)
    {
        var template = job.Spec?.Template;
        var oldTemplate = old.Spec?.Template is { } t ? ModelJson.Clone(t) : null;
        if (old.Spec?.Suspend == true && old.Status?.StartTime is null && oldTemplate is not null && template is not null)
        {
            oldTemplate.Spec ??= new V1PodSpec();
            oldTemplate.Metadata ??= new V1ObjectMeta();
            oldTemplate.Spec.NodeSelector = template.Spec?.NodeSelector;
            oldTemplate.Spec.Tolerations = template.Spec?.Tolerations;
            oldTemplate.Spec.SchedulingGates = template.Spec?.SchedulingGates;
            oldTemplate.Metadata.Labels = template.Metadata?.Labels;
            oldTemplate.Metadata.Annotations = template.Metadata?.Annotations;
            if (template.Spec?.Affinity is { } affinity)
            {
                oldTemplate.Spec.Affinity ??= new V1Affinity();
                oldTemplate.Spec.Affinity.NodeAffinity = affinity.NodeAffinity;
            }
            else if (oldTemplate.Spec.Affinity is { PodAffinity: null, PodAntiAffinity: null })
            {
                oldTemplate.Spec.Affinity = null;
            }
        }

        return FieldChecks.Immutable(template, oldTemplate, path, new GoValue("core.PodTemplateSpec{...}"));
    }
}
