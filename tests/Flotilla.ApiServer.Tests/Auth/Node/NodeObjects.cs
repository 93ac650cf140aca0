using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth.Node;

/// <summary>Pods and volumes for the Node authorizer's tests.</summary>
internal static class NodeObjects
{
    public static V1Pod Pod(string name, string? node, string ns = "default", string uid = "uid-1", Action<V1PodSpec>? spec = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = uid },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] },
        };
        spec?.Invoke(pod.Spec);
        return pod;
    }

    public static V1Volume SecretVolume(string secret) => new() { Name = "s-" + secret, Secret = new V1SecretVolumeSource { SecretName = secret } };

    public static V1Volume ClaimVolume(string claim) => new() { Name = "c-" + claim, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } };

    public static V1PersistentVolume Volume(string name, string? claim, string ns = "default", V1CSIPersistentVolumeSource? csi = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec
        {
            ClaimRef = claim is null ? null : new V1ObjectReference { Name = claim, NamespaceProperty = ns },
            Csi = csi,
        },
    };
}
