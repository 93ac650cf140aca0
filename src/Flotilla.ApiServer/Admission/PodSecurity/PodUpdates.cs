using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// Which pod updates are checked again (upstream's isSignificantPodUpdate): a pod's spec is immutable but for
/// container images, added ephemeral containers and the deprecated per-container seccomp annotations, so an update
/// changing none of them (labels, status, ...) passes whatever the policy.
/// </summary>
public static class PodUpdates
{
    private const string SeccompContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    public static bool IsSignificant(V1Pod pod, V1Pod old)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(old);
        var containers = pod.Spec?.Containers ?? [];
        var oldContainers = old.Spec?.Containers ?? [];
        var inits = pod.Spec?.InitContainers ?? [];
        var oldInits = old.Spec?.InitContainers ?? [];
        if (containers.Count != oldContainers.Count || inits.Count != oldInits.Count)
        {
            return true;
        }

        var annotations = pod.Metadata?.Annotations;
        var oldAnnotations = old.Metadata?.Annotations;
        for (var i = 0; i < containers.Count; i++)
        {
            if (ContainerChanged(containers[i].Name, containers[i].Image, oldContainers[i].Image, annotations, oldAnnotations))
            {
                return true;
            }
        }

        for (var i = 0; i < inits.Count; i++)
        {
            if (ContainerChanged(inits[i].Name, inits[i].Image, oldInits[i].Image, annotations, oldAnnotations))
            {
                return true;
            }
        }

        foreach (var c in pod.Spec?.EphemeralContainers ?? [])
        {
            var previous = (old.Spec?.EphemeralContainers ?? []).FirstOrDefault(o => o.Name == c.Name);
            if (previous is null || ContainerChanged(c.Name, c.Image, previous.Image, annotations, oldAnnotations))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainerChanged(string? name, string? image, string? oldImage, IDictionary<string, string>? annotations, IDictionary<string, string>? oldAnnotations)
    {
        if (image != oldImage)
        {
            return true;
        }

        var key = SeccompContainerAnnotationPrefix + name;
        return Annotation(annotations, key) != Annotation(oldAnnotations, key);
    }

    private static string? Annotation(IDictionary<string, string>? annotations, string key) =>
        annotations is not null && annotations.TryGetValue(key, out var value) ? value : null;
}
