using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>
/// The controller manager against a real HTTPS API server on 127.0.0.1: ReplicaSets keep their pods, writing as the
/// replicaset-controller service account. No kubelet runs: <see cref="MarkReadyAsync"/> plays one.
/// </summary>
public sealed class ReplicaSetTests : Testing.ManagedCluster
{
    [Fact]
    public async Task ScaleUpAndDown_ReplacesDeletedPods_AndReportsStatus()
    {
        var rs = await Admin.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("web", 3), "default");

        var pods = await EventuallyAsync(async () => await PodsAsync("web"), p => p.Count == 3);
        Assert.All(pods, p => Assert.Equal(rs.Metadata.Uid, Assert.Single(p.Metadata.OwnerReferences).Uid));
        Assert.All(pods, p => Assert.StartsWith("web-", p.Metadata.Name, StringComparison.Ordinal));
        Assert.All(pods, p => Assert.Equal("Pending", p.Status.Phase));

        // A pod deleted by hand is replaced.
        await Admin.CoreV1.DeleteNamespacedPodAsync(pods[0].Metadata.Name, "default");
        pods = await EventuallyAsync(async () => await PodsAsync("web"), p => p.Count == 3 && p.All(x => x.Metadata.Name != pods[0].Metadata.Name));

        // Ready pods count in status.
        foreach (var pod in pods)
        {
            await MarkReadyAsync(pod);
        }

        await EventuallyAsync(() => Admin.AppsV1.ReadNamespacedReplicaSetAsync("web", "default"), r => r.Status?.ReadyReplicas == 3 && r.Status.AvailableReplicas == 3 && r.Status.ObservedGeneration == 1);

        // Scale down: one stays.
        await Admin.AppsV1.PatchNamespacedReplicaSetScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "web", "default");
        await EventuallyAsync(async () => await PodsAsync("web"), p => p.Count == 1);
        var status = await EventuallyAsync(() => Admin.AppsV1.ReadNamespacedReplicaSetAsync("web", "default"), r => r.Status?.Replicas == 1);
        Assert.Equal(2, status.Status.ObservedGeneration);

        // What it did, as events from the replicaset-controller.
        var events = await EventuallyAsync(
            async () => (await Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=web")).Items,
            e => e.Count(x => x.Reason == "SuccessfulDelete") >= 2);
        Assert.Contains(events, e => e.Reason == "SuccessfulCreate" && e.Source.Component == "replicaset-controller");
    }

    [Fact]
    public async Task Orphans_AreAdopted_AndARelabelledPodIsReleasedAndReplaced()
    {
        var orphan = await Admin.CoreV1.CreateNamespacedPodAsync(Pod("orphan", "db"), "default");
        var rs = await Admin.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("db", 2), "default");

        var pods = await EventuallyAsync(async () => await PodsAsync("db"), p => p.Count == 2 && p.All(x => x.Metadata.OwnerReferences?.Count == 1));
        Assert.Contains(pods, p => p.Metadata.Uid == orphan.Metadata.Uid);

        await Admin.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"other"}}}""", V1Patch.PatchType.MergePatch), "orphan", "default");

        await EventuallyAsync(async () => await PodsAsync("db"), p => p.Count == 2 && p.All(x => x.Metadata.Name != "orphan"));
        var released = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedPodAsync("orphan", "default"), p => p.Metadata.OwnerReferences is null);  // none left, not an empty list (as upstream)
        Assert.Equal("other", released.Metadata.Labels["app"]);
        Assert.Equal(rs.Metadata.Uid, (await PodsAsync("db"))[0].Metadata.OwnerReferences[0].Uid);
    }

    [Fact]
    public async Task TheControllerWritesAsItsOwnServiceAccount_WhichRbacLetsCreatePods_WhereTheManagersIdentityMayNot()
    {
        await Admin.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("whoami", 1), "default");
        await EventuallyAsync(async () => await PodsAsync("whoami"), p => p.Count == 1);

        Assert.NotNull((await Admin.CoreV1.ReadNamespacedServiceAccountAsync("replicaset-controller", "kube-system")).Metadata.Uid);
        Assert.False(await MayCreatePodsAsync("system:kube-controller-manager", []));
        Assert.True(await MayCreatePodsAsync("system:serviceaccount:kube-system:replicaset-controller", ["system:serviceaccounts", "system:serviceaccounts:kube-system"]));
    }

    private async Task<bool> MayCreatePodsAsync(string user, List<string> groups) =>
        (await Admin.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user,
                Groups = groups,
                ResourceAttributes = new V1ResourceAttributes { Verb = "create", Resource = "pods", NamespaceProperty = "default" },
            },
        })).Status.Allowed;

    private async Task<List<V1Pod>> PodsAsync(string app) =>
        [.. (await Admin.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=" + app)).Items.Where(p => p.Metadata.DeletionTimestamp is null)];

    /// <summary>What a kubelet would report for a started, ready pod.</summary>
    private async Task MarkReadyAsync(V1Pod pod)
    {
        var now = DateTime.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var patch = $$$"""{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"{{{now}}}"}]}}""";
        await Admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, "default");
    }

    private static V1ReplicaSet ReplicaSet(string app, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = app },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } }, Spec = Pod("x", app).Spec },
        },
    };

    private static V1Pod Pod(string name, string app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }], AutomountServiceAccountToken = false },
    };
}
