using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>ReplicationControllers kept by the same controller as ReplicaSets, writing as the replication-controller account.</summary>
public sealed class ReplicationControllerTests : Testing.ManagedCluster
{
    [Fact]
    public async Task PodsFollowReplicas_OwnedByTheReplicationController_WithStatusAndEvents()
    {
        var rc = await Admin.CoreV1.CreateNamespacedReplicationControllerAsync(
            new V1ReplicationController
            {
                Metadata = new V1ObjectMeta { Name = "legacy" },
                Spec = new V1ReplicationControllerSpec
                {
                    Replicas = 3,
                    Template = new V1PodTemplateSpec
                    {
                        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "legacy" } },
                        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }], AutomountServiceAccountToken = false },
                    },
                },
            },
            "default");

        var pods = await EventuallyAsync(PodsAsync, p => p.Count == 3);
        var owner = Assert.Single(pods[0].Metadata.OwnerReferences);
        Assert.Equal(("v1", "ReplicationController", "legacy", rc.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller));
        Assert.StartsWith("legacy-", pods[0].Metadata.Name, StringComparison.Ordinal);
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedReplicationControllerAsync("legacy", "default"), r => r.Status?.Replicas == 3 && r.Status.ObservedGeneration == 1);

        await Admin.CoreV1.PatchNamespacedReplicationControllerScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "legacy", "default");
        await EventuallyAsync(PodsAsync, p => p.Count == 1);
        await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedReplicationControllerAsync("legacy", "default"), r => r.Status?.Replicas == 1 && r.Status.ObservedGeneration == 2);

        var events = await EventuallyAsync(
            async () => (await Admin.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=legacy")).Items,
            e => e.Any(x => x.Reason == "SuccessfulDelete"));
        Assert.All(events, e => Assert.Equal(("ReplicationController", "replication-controller"), (e.InvolvedObject.Kind, e.Source.Component)));
    }

    private async Task<List<V1Pod>> PodsAsync() =>
        [.. (await Admin.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=legacy")).Items.Where(p => p.Metadata.DeletionTimestamp is null)];
}
