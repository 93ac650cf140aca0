using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidatePodCreate and ValidatePodUpdate (metadata aside, which every kind validates alike).</summary>
public static class PodValidation
{
    public static List<FieldError> Validate(V1Pod pod)
    {
        var errors = MetadataAndSpec(pod);
        var spec = pod.Spec ?? new V1PodSpec();
        var specPath = FieldPath.Root("spec");

        // Ephemeral containers are added through the ephemeralcontainers subresource only.
        if (spec.EphemeralContainers is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(specPath.Child("ephemeralContainers"), "cannot be set on create"));
        }

        if (!string.IsNullOrEmpty(spec.NodeName) && spec.SchedulingGates is { Count: > 0 })
        {
            errors.Add(FieldError.Forbidden(specPath.Child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1Pod pod, V1Pod old)
    {
        var errors = MetadataAndSpec(pod);
        errors.AddRange(AnnotationUpdates(pod.Metadata?.Annotations, old.Metadata?.Annotations));
        errors.AddRange(PodUpdateValidation.ValidateSpecUpdate(pod.Spec ?? new V1PodSpec(), old.Spec ?? new V1PodSpec()));
        return errors;
    }

    private static List<FieldError> MetadataAndSpec(V1Pod pod)
    {
        var spec = pod.Spec ?? new V1PodSpec();
        var specPath = FieldPath.Root("spec");
        var errors = PodTemplateValidation.SpecificAnnotations(pod.Metadata?.Annotations, spec, FieldPath.Root("metadata").Child("annotations")).ToList();
        errors.AddRange(PodSpecValidation.Validate(spec, specPath, pod.Metadata?.Name));

        // Upstream also forbids projected service account tokens without serviceAccountName; the ServiceAccount
        // admission sets that name before validation, so a pod reaching here always has one.
        errors.AddRange((spec.Containers ?? []).SelectMany((c, i) => ContainerValidation.OnlyForPod(c, specPath.Child("containers").Index(i))));
        errors.AddRange((spec.InitContainers ?? []).SelectMany((c, i) => ContainerValidation.OnlyForPod(c, specPath.Child("initContainers").Index(i))));
        return errors;
    }

    // The mirror-pod and AppArmor annotations are fixed once the pod exists.
    private static IEnumerable<FieldError> AnnotationUpdates(IDictionary<string, string>? annotations, IDictionary<string, string>? old)
    {
        annotations ??= new Dictionary<string, string>();
        old ??= new Dictionary<string, string>();
        var path = FieldPath.Root("metadata").Child("annotations");
        foreach (var (key, value) in old.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (annotations.TryGetValue(key, out var current) && current == value)
            {
                continue;
            }

            if (key.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal))
            {
                yield return FieldError.Forbidden(path.Key(key), "may not remove or update AppArmor annotations");
            }

            if (key == PodTemplateValidation.MirrorPodAnnotation)
            {
                yield return FieldError.Forbidden(path.Key(key), "may not remove or update mirror pod annotation");
            }
        }

        foreach (var key in annotations.Keys.Where(k => !old.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            if (key.StartsWith("container.apparmor.security.beta.kubernetes.io/", StringComparison.Ordinal))
            {
                yield return FieldError.Forbidden(path.Key(key), "may not add AppArmor annotations");
            }

            if (key == PodTemplateValidation.MirrorPodAnnotation)
            {
                yield return FieldError.Forbidden(path.Key(key), "may not add mirror pod annotation");
            }
        }
    }
}
