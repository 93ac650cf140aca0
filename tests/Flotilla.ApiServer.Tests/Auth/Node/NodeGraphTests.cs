using Flotilla.ApiServer.Auth.Node;
using k8s.Models;
using static Flotilla.ApiServer.Tests.Auth.Node.NodeObjects;

namespace Flotilla.ApiServer.Tests.Auth.Node;

public sealed class NodeGraphTests
{
    public static TheoryData<string, Action<V1PodSpec>, VertexType, string> References() => new()
    {
        { "secret volume", s => s.Volumes = [SecretVolume("s")], VertexType.Secret, "s" },
        { "env secretKeyRef", s => s.Containers[0].Env = [new V1EnvVar { Name = "E", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "s", Key = "k" } } }], VertexType.Secret, "s" },
        { "envFrom secretRef", s => s.Containers[0].EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "s" } }], VertexType.Secret, "s" },
        { "init container envFrom", s => s.InitContainers = [new V1Container { Name = "i", EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "s" } }] }], VertexType.Secret, "s" },
        { "ephemeral container env", s => s.EphemeralContainers = [new V1EphemeralContainer { Name = "e", Env = [new V1EnvVar { Name = "E", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "s", Key = "k" } } }] }], VertexType.Secret, "s" },
        { "imagePullSecrets", s => s.ImagePullSecrets = [new V1LocalObjectReference { Name = "s" }], VertexType.Secret, "s" },
        { "projected secret", s => s.Volumes = [new V1Volume { Name = "p", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { Secret = new V1SecretProjection { Name = "s" } }] } }], VertexType.Secret, "s" },
        { "csi volume node publish secret", s => s.Volumes = [new V1Volume { Name = "v", Csi = new V1CSIVolumeSource { Driver = "d", NodePublishSecretRef = new V1LocalObjectReference { Name = "s" } } }], VertexType.Secret, "s" },
        { "configMap volume", s => s.Volumes = [new V1Volume { Name = "v", ConfigMap = new V1ConfigMapVolumeSource { Name = "cm" } }], VertexType.ConfigMap, "cm" },
        { "envFrom configMapRef", s => s.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "cm" } }], VertexType.ConfigMap, "cm" },
        { "env configMapKeyRef", s => s.Containers[0].Env = [new V1EnvVar { Name = "E", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cm", Key = "k" } } }], VertexType.ConfigMap, "cm" },
        { "projected configMap", s => s.Volumes = [new V1Volume { Name = "p", Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "cm" } }] } }], VertexType.ConfigMap, "cm" },
        { "service account", s => s.ServiceAccountName = "sa", VertexType.ServiceAccount, "sa" },
        { "claim", s => s.Volumes = [ClaimVolume("c")], VertexType.PersistentVolumeClaim, "c" },
        { "ephemeral volume's claim", s => s.Volumes = [new V1Volume { Name = "scratch", Ephemeral = new V1EphemeralVolumeSource() }], VertexType.PersistentVolumeClaim, "p-scratch" },
        { "resource claim", s => s.ResourceClaims = [new V1PodResourceClaim { Name = "gpu", ResourceClaimName = "rc" }], VertexType.ResourceClaim, "rc" },
    };

    [Theory]
    [MemberData(nameof(References))]
    public void AddPod_ReferencedObject_LeadsToThePodsNodeOnly(string description, Action<V1PodSpec> spec, VertexType type, string name)
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("p", "n1", spec: spec));
        graph.AddPod(Pod("other", "n2"));

        Assert.True(graph.HasPath("n1", type, "default", name), description);
        Assert.False(graph.HasPath("n2", type, "default", name), description);
        Assert.False(graph.HasPath("n1", type, "elsewhere", name), description);
        Assert.True(graph.HasPath("n1", VertexType.Pod, "default", "p"));
    }

    [Fact]
    public void HasPath_UnknownNodeOrObject_IsFalse()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("p", "n1", spec: s => s.Volumes = [SecretVolume("s")]));

        Assert.False(graph.HasPath("n9", VertexType.Secret, "default", "s"));
        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "unused"));
        Assert.False(graph.HasPath("n1", VertexType.ConfigMap, "default", "s"));
    }

    [Fact]
    public void ResourceClaimFromTemplate_IsRelatedOnceThePodStatusNamesIt()
    {
        var graph = new NodeGraph();
        var pod = Pod("p", "n1", spec: s => s.ResourceClaims = [new V1PodResourceClaim { Name = "gpu", ResourceClaimTemplateName = "t" }]);
        graph.AddPod(pod);
        Assert.False(graph.HasPath("n1", VertexType.ResourceClaim, "default", "p-gpu-x"));

        pod.Status = new V1PodStatus { ResourceClaimStatuses = [new V1PodResourceClaimStatus { Name = "gpu", ResourceClaimName = "p-gpu-x" }] };
        graph.AddPod(pod);
        Assert.True(graph.HasPath("n1", VertexType.ResourceClaim, "default", "p-gpu-x"));
    }

    [Fact]
    public void MirrorPod_RelatesOnlyItself()
    {
        var graph = new NodeGraph();
        var pod = Pod("static-web-n1", "n1", spec: s =>
        {
            s.Volumes = [SecretVolume("s")];
            s.ServiceAccountName = "sa";
        });
        pod.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "hash" };
        graph.AddPod(pod);

        Assert.True(graph.HasPath("n1", VertexType.Pod, "default", "static-web-n1"));
        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "s"));
        Assert.False(graph.HasPath("n1", VertexType.ServiceAccount, "default", "sa"));
    }

    [Fact]
    public void DeletePod_RemovesItsEdges_AndObjectsNothingElseReferences()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("a", "n1", spec: s => s.Volumes = [SecretVolume("shared"), SecretVolume("only-a")]));
        graph.AddPod(Pod("b", "n1", uid: "uid-b", spec: s => s.Volumes = [SecretVolume("shared")]));

        graph.DeletePod("default", "a");

        Assert.False(graph.HasPath("n1", VertexType.Pod, "default", "a"));
        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "only-a"));
        Assert.False(graph.Contains(VertexType.Secret, "default", "only-a"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "shared"));

        graph.DeletePod("default", "b");
        Assert.False(graph.Contains(VertexType.Secret, "default", "shared"));
        Assert.False(graph.Contains(VertexType.Node, "", "n1"));
    }

    [Fact]
    public void SharedSecret_StaysRelatedToEachNodeWithAPodUsingIt()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("a", "n1", spec: s => s.ImagePullSecrets = [new V1LocalObjectReference { Name = "pull" }]));
        graph.AddPod(Pod("b", "n2", uid: "uid-b", spec: s => s.ImagePullSecrets = [new V1LocalObjectReference { Name = "pull" }]));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "pull"));
        Assert.True(graph.HasPath("n2", VertexType.Secret, "default", "pull"));

        graph.DeletePod("default", "a");

        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "pull"));
        Assert.True(graph.HasPath("n2", VertexType.Secret, "default", "pull"));
    }

    [Fact]
    public void PodRecreatedOnAnotherNode_MovesItsReferences()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("p", "n1", spec: s => s.Volumes = [SecretVolume("s")]));
        graph.AddPod(Pod("keep-n1-known", "n1", uid: "uid-k"));

        graph.AddPod(Pod("p", "n2", uid: "uid-2", spec: s => s.Volumes = [SecretVolume("s")]));

        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "s"));
        Assert.False(graph.HasPath("n1", VertexType.Pod, "default", "p"));
        Assert.True(graph.HasPath("n2", VertexType.Secret, "default", "s"));
        Assert.True(graph.HasPath("n2", VertexType.Pod, "default", "p"));
    }

    [Fact]
    public void PersistentVolume_LeadsThroughItsClaimToThePodsNode_WithTheSecretsTheKubeletReads()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("p", "n1", spec: s => s.Volumes = [ClaimVolume("data")]));
        graph.AddPod(Pod("q", "n2", uid: "uid-q"));
        graph.AddPersistentVolume(Volume("pv-1", "data", csi: new V1CSIPersistentVolumeSource
        {
            Driver = "d",
            VolumeHandle = "h",
            NodePublishSecretRef = new V1SecretReference { Name = "publish", NamespaceProperty = "storage" },
            ControllerPublishSecretRef = new V1SecretReference { Name = "controller", NamespaceProperty = "storage" },
        }));

        Assert.True(graph.HasPath("n1", VertexType.PersistentVolumeClaim, "default", "data"));
        Assert.True(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-1"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "storage", "publish"));
        Assert.False(graph.HasPath("n1", VertexType.Secret, "storage", "controller"));
        Assert.False(graph.HasPath("n2", VertexType.PersistentVolume, "", "pv-1"));
        Assert.False(graph.HasPath("n2", VertexType.Secret, "storage", "publish"));
    }

    [Fact]
    public void PersistentVolume_Rebound_Unbound_Deleted()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("p", "n1", spec: s => s.Volumes = [ClaimVolume("data")]));
        graph.AddPersistentVolume(Volume("pv-1", "other"));
        Assert.False(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-1"));

        graph.AddPersistentVolume(Volume("pv-1", "data"));
        Assert.True(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-1"));
        Assert.False(graph.Contains(VertexType.PersistentVolumeClaim, "default", "other"));

        graph.AddPersistentVolume(Volume("pv-1", null));
        Assert.False(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-1"));

        graph.AddPersistentVolume(Volume("pv-1", "data"));
        graph.DeletePersistentVolume("pv-1");
        Assert.False(graph.Contains(VertexType.PersistentVolume, "", "pv-1"));
        Assert.True(graph.HasPath("n1", VertexType.PersistentVolumeClaim, "default", "data"));
    }

    [Fact]
    public void VolumeBeforeItsPod_IsRelatedOnceThePodIsBound()
    {
        var graph = new NodeGraph();
        graph.AddPersistentVolume(Volume("pv-1", "data"));
        Assert.False(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-1"));

        graph.AddPod(Pod("p", "n1", spec: s => s.Volumes = [ClaimVolume("data")]));
        Assert.True(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-1"));

        graph.DeletePod("default", "p");
        Assert.False(graph.HasPath("n1", VertexType.PersistentVolume, "", "pv-1"));
        Assert.True(graph.Contains(VertexType.PersistentVolumeClaim, "default", "data"));
    }

    [Fact]
    public void ReplaceWith_TakesTheRebuiltContents()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("old", "n1", spec: s => s.Volumes = [SecretVolume("old")]));
        var rebuilt = new NodeGraph();
        rebuilt.AddPod(Pod("new", "n1", spec: s => s.Volumes = [SecretVolume("new")]));

        graph.ReplaceWith(rebuilt);

        Assert.False(graph.HasPath("n1", VertexType.Secret, "default", "old"));
        Assert.True(graph.HasPath("n1", VertexType.Secret, "default", "new"));
    }
}
