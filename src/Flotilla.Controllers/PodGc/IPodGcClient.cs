using Flotilla.Client;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.PodGc;

/// <summary>The pod garbage collector's reads and writes besides its caches.</summary>
public interface IPodGcClient
{
    /// <summary>A fresh read: does the API server have this node?</summary>
    Task<bool> NodeExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Phase Failed (and <paramref name="condition"/>), on the pod with this UID only.</summary>
    Task MarkFailedAsync(V1Pod pod, V1PodCondition? condition, CancellationToken cancellationToken);

    /// <summary>Deleted with grace period 0; gone already is not an error.</summary>
    Task ForceDeleteAsync(V1Pod pod, CancellationToken cancellationToken);
}

public sealed class PodGcClient(IKubernetes client) : IPodGcClient
{
    public async Task<bool> NodeExistsAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
            return false;
        }
    }

    public Task MarkFailedAsync(V1Pod pod, V1PodCondition? condition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var patch = KubernetesJson.Serialize(new V1Pod
        {
            Metadata = new V1ObjectMeta { Uid = pod.Metadata.Uid },
            Status = new V1PodStatus { Phase = "Failed", Conditions = condition is null ? null : [condition] },
        });
        return client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public async Task ForceDeleteAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
        }
    }
}
