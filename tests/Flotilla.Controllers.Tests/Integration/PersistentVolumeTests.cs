using System.Globalization;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>
/// The persistent volume binder and the local-path provisioner with the default scheduler, against a real API server.
/// The test plays the kubelets: it posts two nodes' Ready status and finishes the provisioner's helper pods.
/// </summary>
public sealed class PersistentVolumeTests : Testing.ManagedCluster
{
    protected override bool WithScheduler => true;

    [Fact]
    public async Task LocalPath_ProvisionsOnThePodsNode_BindsTheClaim_AndDeletesTheVolumeWithIt()
    {
        await NodesAsync();
        var claim = await Admin.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("data", storageClass: null), "default");
        Assert.Equal("local-path", claim.Spec.StorageClassName);
        await EventuallyAsync(() => EventsAsync("data"), e => e.Any(x => x.Reason == "WaitForFirstConsumer"));

        await Admin.CoreV1.CreateNamespacedPodAsync(Pod("app", "data", node: "node-b"), "default");
        var volumeName = "pvc-" + claim.Metadata.Uid;
        var helper = await EventuallyAsync(() => PodOrNullAsync("kube-system", "helper-pod-create-" + volumeName), p => p is not null);
        var env = helper!.Spec.Containers[0].Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(("node-b", $"/srv/b/storage/{volumeName}_default_data", "1073741824"), (helper.Spec.NodeName, env["VOL_DIR"], env["VOL_SIZE_BYTES"]));
        Assert.Equal("/srv/b/storage", helper.Spec.Volumes[0].HostPath.Path);
        var annotated = await Admin.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", "default");
        Assert.Equal(("node-b", "flotilla.dev/local-path"), (annotated.Metadata.Annotations["volume.kubernetes.io/selected-node"], annotated.Metadata.Annotations["volume.kubernetes.io/storage-provisioner"]));

        await FinishAsync(helper);
        var bound = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", "default"), c => c.Status.Phase == "Bound");
        Assert.Equal(volumeName, bound.Spec.VolumeName);
        Assert.Equal("1Gi", bound.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], bound.Status.AccessModes);
        Assert.Equal("yes", bound.Metadata.Annotations["pv.kubernetes.io/bind-completed"]);
        var volume = await EventuallyAsync(() => Admin.CoreV1.ReadPersistentVolumeAsync(volumeName), v => v.Status.Phase == "Bound");
        Assert.Equal(($"/srv/b/storage/{volumeName}_default_data", "Delete", "local-path"), (volume.Spec.HostPath.Path, volume.Spec.PersistentVolumeReclaimPolicy, volume.Spec.StorageClassName));
        Assert.Equal(["node-b"], volume.Spec.NodeAffinity.Required.NodeSelectorTerms[0].MatchExpressions[0].Values);
        Assert.Equal("flotilla.dev/local-path", volume.Metadata.Annotations["pv.kubernetes.io/provisioned-by"]);
        Assert.Contains("external-provisioner.volume.kubernetes.io/finalizer", volume.Metadata.Finalizers);
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("app", "default"), p => p.Spec.NodeName == "node-b");
        await EventuallyAsync(() => PodOrNullAsync("kube-system", helper.Metadata.Name), p => p is null);
        Assert.Contains(await EventsAsync("data"), e => e.Reason == "ProvisioningSucceeded" && e.Message == $"Successfully provisioned volume {volumeName}");

        // The claim goes once its pod has: the volume is released, its directory removed on its node, then it goes too.
        await Admin.CoreV1.DeleteNamespacedPodAsync("app", "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        await Admin.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("data", "default");
        var remover = await EventuallyAsync(() => PodOrNullAsync("kube-system", "helper-pod-delete-" + volumeName), p => p is not null);
        Assert.Equal("node-b", remover!.Spec.NodeName);
        Assert.Contains("rm -rf", remover.Spec.Containers[0].Command[2], StringComparison.Ordinal);
        Assert.Equal("Released", (await Admin.CoreV1.ReadPersistentVolumeAsync(volumeName)).Status.Phase);
        await FinishAsync(remover);
        await EventuallyAsync(async () => (await Admin.CoreV1.ListPersistentVolumeAsync()).Items.Any(v => v.Metadata.Name == volumeName), there => !there);
    }

    [Fact]
    public async Task StaticVolumes_BindToTheSmallestFit_AndANoProvisionerClass_SendsThePodToTheNodeWithItsVolume()
    {
        await NodesAsync();
        await Admin.CoreV1.CreatePersistentVolumeAsync(Volume("big", "10Gi", storageClass: ""));
        await Admin.CoreV1.CreatePersistentVolumeAsync(Volume("snug", "2Gi", storageClass: ""));
        await EventuallyAsync(() => Admin.CoreV1.ReadPersistentVolumeAsync("snug"), v => v.Status.Phase == "Available");
        await Admin.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("plain", storageClass: ""), "default");
        var bound = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("plain", "default"), c => c.Status.Phase == "Bound");
        Assert.Equal(("snug", "2Gi"), (bound.Spec.VolumeName, bound.Status.Capacity["storage"].ToString()));
        var snug = await EventuallyAsync(() => Admin.CoreV1.ReadPersistentVolumeAsync("snug"), v => v.Status.Phase == "Bound");
        Assert.Equal(("plain", bound.Metadata.Uid, "yes"), (snug.Spec.ClaimRef.Name, snug.Spec.ClaimRef.Uid, snug.Metadata.Annotations["pv.kubernetes.io/bound-by-controller"]));

        // Retained: released when its claim goes, kept.
        await Admin.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("plain", "default");
        await EventuallyAsync(() => Admin.CoreV1.ReadPersistentVolumeAsync("snug"), v => v.Status.Phase == "Released");

        // Local volumes made by hand: the pod can only go where its volume is.
        await Admin.StorageV1.CreateStorageClassAsync(new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = "local" },
            Provisioner = "kubernetes.io/no-provisioner",
            VolumeBindingMode = "WaitForFirstConsumer",
        });
        await Admin.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("pinned", storageClass: "local"), "default");
        await Admin.CoreV1.CreateNamespacedPodAsync(Pod("pinned", "pinned", node: null), "default");
        var waiting = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("pinned", "default"), p => p.Status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Status == "False") == true);
        Assert.Contains("didn't find available persistent volumes to bind", waiting.Status.Conditions.Single(c => c.Type == "PodScheduled").Message, StringComparison.Ordinal);

        await Admin.CoreV1.CreatePersistentVolumeAsync(Volume("disk-b", "1Gi", storageClass: "local", node: "node-b"));
        var placed = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("pinned", "default"), p => p.Spec.NodeName is not null);
        Assert.Equal("node-b", placed.Spec.NodeName);
        var pinned = await Admin.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("pinned", "default");
        Assert.Equal(("disk-b", "Bound"), (pinned.Spec.VolumeName, pinned.Status.Phase));
    }

    private async Task NodesAsync()
    {
        foreach (var (name, root) in new[] { ("node-a", "/srv/a/storage"), ("node-b", "/srv/b/storage") })
        {
            await Admin.CoreV1.CreateNodeAsync(new V1Node
            {
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name },
                    Annotations = new Dictionary<string, string> { ["flotilla.dev/local-storage-path"] = root },
                },
            });
            var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var patch = $$$"""{"status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"{{{now}}}","lastTransitionTime":"{{{now}}}"}]}}""";
            await Admin.CoreV1.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name);
        }
    }

    /// <summary>What the node's kubelet would report once the helper's command exits 0.</summary>
    private async Task FinishAsync(V1Pod helper) =>
        await Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch("""{"status":{"phase":"Succeeded"}}""", V1Patch.PatchType.MergePatch), helper.Metadata.Name, helper.Metadata.NamespaceProperty);

    private async Task<V1Pod?> PodOrNullAsync(string ns, string name) =>
        (await Admin.CoreV1.ListNamespacedPodAsync(ns, fieldSelector: "metadata.name=" + name)).Items.SingleOrDefault();

    private async Task<IList<Corev1Event>> EventsAsync(string involved) =>
        (await Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=" + involved)).Items;

    private static V1PersistentVolumeClaim Claim(string name, string? storageClass) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            StorageClassName = storageClass,
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
        },
    };

    private static V1PersistentVolume Volume(string name, string size, string storageClass, string? node = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeSpec
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            HostPath = new V1HostPathVolumeSource { Path = "/srv/" + name },
            NodeAffinity = node is null ? null : new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] }],
                },
            },
        },
    };

    private static V1Pod Pod(string name, string claim, string? node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            AutomountServiceAccountToken = false,
            NodeSelector = node is null ? null : new Dictionary<string, string> { ["kubernetes.io/hostname"] = node },
            Containers = [new V1Container { Name = "c", Image = "busybox:1.35", VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }] }],
            Volumes = [new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }],
        },
    };
}
