using Flotilla.Api.References;
using k8s.Models;

namespace Flotilla.Api.Tests.References;

public sealed class PodReferencesTests
{
    private static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns" },
        Spec = new V1PodSpec
        {
            ImagePullSecrets = [new V1LocalObjectReference { Name = "pull" }, new V1LocalObjectReference { Name = "" }],
            InitContainers = [new V1Container { Name = "init", EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "init-env" } }] }],
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "app-env" } }],
                    Env =
                    [
                        new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "key", Key = "k" } } },
                        new V1EnvVar { Name = "B", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "k" } } },
                        new V1EnvVar { Name = "C", Value = "plain" },
                    ],
                },
            ],
            EphemeralContainers = [new V1EphemeralContainer { Name = "debug", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "debug-env" } }] }],
            Volumes =
            [
                new V1Volume { Name = "tls", Secret = new V1SecretVolumeSource { SecretName = "tls" } },
                new V1Volume { Name = "conf", ConfigMap = new V1ConfigMapVolumeSource { Name = "conf" } },
                new V1Volume
                {
                    Name = "projected",
                    Projected = new V1ProjectedVolumeSource
                    {
                        Sources =
                        [
                            new V1VolumeProjection { Secret = new V1SecretProjection { Name = "p-secret" } },
                            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "p-config" } },
                            new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token" } },
                        ],
                    },
                },
                new V1Volume { Name = "ceph", Cephfs = new V1CephFSVolumeSource { Monitors = ["m"], SecretRef = new V1LocalObjectReference { Name = "ceph" } } },
                new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "data" } },
                new V1Volume { Name = "scratch", Ephemeral = new V1EphemeralVolumeSource() },
            ],
            ResourceClaims =
            [
                new V1PodResourceClaim { Name = "gpu", ResourceClaimName = "shared-gpu" },
                new V1PodResourceClaim { Name = "nic", ResourceClaimTemplateName = "nic-template" },
                new V1PodResourceClaim { Name = "fpga", ResourceClaimTemplateName = "fpga-template" },
            ],
        },
        Status = new V1PodStatus { ResourceClaimStatuses = [new V1PodResourceClaimStatus { Name = "nic", ResourceClaimName = "web-nic-x7k" }] },
    };

    [Fact]
    public void SecretNames_PullSecretsEnvAndVolumes_OfEveryContainer() =>
        Assert.Equal(["app-env", "ceph", "debug-env", "key", "p-secret", "pull", "tls"], PodReferences.SecretNames(Pod).Order(StringComparer.Ordinal));

    [Fact]
    public void ConfigMapNames_EnvAndVolumes_OfEveryContainer() =>
        Assert.Equal(["conf", "init-env", "p-config", "settings"], PodReferences.ConfigMapNames(Pod).Order(StringComparer.Ordinal));

    [Fact]
    public void ClaimNames_NamedAndEphemeral() =>
        Assert.Equal(["data", "web-scratch"], PodReferences.ClaimNames(Pod));

    [Fact]
    public void ResourceClaimNames_NamedAndMadeFromATemplate_NotYetMade() =>
        Assert.Equal(["shared-gpu", "web-nic-x7k"], PodReferences.ResourceClaimNames(Pod));
}
