using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>
/// The pod writes a workload controller makes (upstream's PodControlInterface), each recorded as an event on the
/// controller's object; tests put a recording fake in its place.
/// </summary>
public interface IPodControl
{
    /// <summary>Creates a pod from <paramref name="template"/> owned by <paramref name="owner"/> through <paramref name="controllerRef"/>.</summary>
    Task<V1Pod> CreateAsync(string ns, V1PodTemplateSpec template, k8s.IKubernetesObject<V1ObjectMeta> owner, V1OwnerReference controllerRef, CancellationToken cancellationToken);

    /// <summary>Creates a pod the controller built itself (a Job's, with its completion index).</summary>
    Task<V1Pod> CreatePodAsync(string ns, V1Pod pod, k8s.IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken);

    Task DeleteAsync(string ns, string name, k8s.IKubernetesObject<V1ObjectMeta> owner, CancellationToken cancellationToken);

    /// <summary>Applies a strategic merge patch (adoption and release of owner references).</summary>
    Task PatchAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken);
}
