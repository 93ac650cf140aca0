using Flotilla.Api.Serialization;
using System.Globalization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidatePodTemplateSpec (every workload's template) and ValidatePodSpecificAnnotations.</summary>
public static class PodTemplateValidation
{
    public const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    private const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";
    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";

    /// <summary>A template's labels and annotations are reported at <c>template.labels</c>, as upstream does.</summary>
    public static List<FieldError> Validate(V1PodTemplateSpec? template, FieldPath path)
    {
        var errors = new List<FieldError>();
        var metadata = template?.Metadata;
        var spec = template?.Spec ?? new V1PodSpec();
        errors.AddRange(FieldChecks.Labels(metadata?.Labels, path.Child("labels")));
        errors.AddRange(FieldChecks.Annotations(metadata?.Annotations, path.Child("annotations")));
        errors.AddRange(SpecificAnnotations(metadata?.Annotations, spec, path.Child("annotations")));
        errors.AddRange(PodSpecValidation.Validate(spec, path.Child("spec")));
        if (spec.EphemeralContainers is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(path.Child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }

        return errors;
    }

    /// <summary>Annotations with a meaning for pods: the mirror-pod marker, the deletion cost, AppArmor profiles.</summary>
    public static IEnumerable<FieldError> SpecificAnnotations(IDictionary<string, string>? annotations, V1PodSpec spec, FieldPath path)
    {
        if (annotations is null)
        {
            yield break;
        }

        if (annotations.TryGetValue(MirrorPodAnnotation, out var mirror) && string.IsNullOrEmpty(spec.NodeName))
        {
            yield return FieldError.Invalid(path.Key(MirrorPodAnnotation), mirror, "must set spec.nodeName if mirror pod annotation is set");
        }

        if (annotations.TryGetValue(DeletionCostAnnotation, out var cost) && !IsDeletionCost(cost))
        {
            yield return FieldError.Invalid(path.Key(DeletionCostAnnotation), cost, "must be a 32bit integer");
        }

        var names = (spec.Containers ?? []).Concat(spec.InitContainers ?? []).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, profile) in annotations.Where(a => a.Key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal)).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var container = key[AppArmorAnnotationPrefix.Length..];
            if (!names.Contains(container) && !(spec.EphemeralContainers ?? []).Any(c => c.Name == container))
            {
                yield return FieldError.Invalid(path.Key(key), container, "container not found");
            }

            if (profile is not ("" or "runtime/default" or "unconfined") && !profile.StartsWith("localhost/", StringComparison.Ordinal))
            {
                yield return FieldError.Invalid(path.Key(key), profile, $"invalid AppArmor profile name: {GoQuote.Quote(profile)}");
            }
        }
    }

    // Upstream GetDeletionCostFromPodAnnotations: no '+', no leading zeros, a 32-bit integer.
    private static bool IsDeletionCost(string value) =>
        value.Length > 0 && (value[0] == '-' || value == "0" || value[0] is >= '1' and <= '9') &&
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
}
