using Flotilla.Api.References;
using k8s.Models;

namespace Flotilla.Api.Tests.References;

public sealed class PersistentVolumeReferencesTests
{
    public static TheoryData<string, V1PersistentVolumeSpec, string[]> Sources() => new()
    {
        { "azureFile in the claim's namespace", new() { AzureFile = new V1AzureFilePersistentVolumeSource { SecretName = "az", ShareName = "s" } }, ["claims/az/True"] },
        { "azureFile in its own namespace", new() { AzureFile = new V1AzureFilePersistentVolumeSource { SecretName = "az", SecretNamespace = "vault", ShareName = "s" } }, ["vault/az/True"] },
        { "rbd without a namespace", new() { Rbd = new V1RBDPersistentVolumeSource { Image = "i", Monitors = ["m"], SecretRef = new V1SecretReference { Name = "ceph" } } }, ["claims/ceph/True"] },
        { "iscsi with a namespace", new() { Iscsi = new V1ISCSIPersistentVolumeSource { Iqn = "q", Lun = 0, TargetPortal = "t", SecretRef = new V1SecretReference { Name = "chap", NamespaceProperty = "vault" } } }, ["vault/chap/True"] },
        { "cinder keeps its own namespace", new() { Cinder = new V1CinderPersistentVolumeSource { VolumeID = "v", SecretRef = new V1SecretReference { Name = "os" } } }, ["/os/True"] },
        {
            "csi: controller secrets are not the kubelet's",
            new()
            {
                Csi = new V1CSIPersistentVolumeSource
                {
                    Driver = "d",
                    VolumeHandle = "h",
                    ControllerPublishSecretRef = new V1SecretReference { Name = "publish", NamespaceProperty = "x" },
                    ControllerExpandSecretRef = new V1SecretReference { Name = "expand", NamespaceProperty = "x" },
                    NodePublishSecretRef = new V1SecretReference { Name = "node-publish", NamespaceProperty = "x" },
                    NodeStageSecretRef = new V1SecretReference { Name = "stage", NamespaceProperty = "x" },
                    NodeExpandSecretRef = new V1SecretReference { Name = "node-expand", NamespaceProperty = "x" },
                },
            },
            ["x/publish/False", "x/expand/False", "x/node-publish/True", "x/stage/True", "x/node-expand/True"]
        },
        { "empty name", new() { FlexVolume = new V1FlexPersistentVolumeSource { Driver = "d", SecretRef = new V1SecretReference { Name = "" } } }, [] },
        { "hostPath", new() { HostPath = new V1HostPathVolumeSource { Path = "/data" } }, [] },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public void SecretNames(string description, V1PersistentVolumeSpec spec, string[] expected)
    {
        spec.ClaimRef = new V1ObjectReference { Name = "c", NamespaceProperty = "claims" };
        var pv = new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pv" }, Spec = spec };

        var names = PersistentVolumeReferences.SecretNames(pv).Select(r => $"{r.Namespace}/{r.Name}/{r.KubeletVisible}");

        Assert.Equal(expected, names);
        Assert.NotNull(description);
    }
}
