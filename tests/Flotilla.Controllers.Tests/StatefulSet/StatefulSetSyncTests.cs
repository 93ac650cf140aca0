using Flotilla.Controllers.Framework;
using Flotilla.Controllers.StatefulSet;
using Flotilla.Controllers.Tests.Testing;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.StatefulSet;

/// <summary>One SyncAsync at a time: given a StatefulSet, its revisions and pods, expect these pods, claims and status.</summary>
public sealed class StatefulSetSyncTests
{
    private readonly FakeTimeProvider _time = new(Make.Now);
    private readonly RecordingPodControl _podControl = new();
    private readonly RecordingEvents _events = new();

    [Fact]
    public async Task OrderedReady_MakesOnePodAtATime_WithItsIdentityAndClaims()
    {
        var set = Set("web", replicas: 3);
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" }, Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"] } }];
        var (controller, client) = Controller(set);

        await controller.SyncAsync("default/web", CancellationToken.None);

        var pod = Assert.Single(_podControl.Created);
        var revision = Assert.Single(client.Revisions);
        Assert.Equal(("web-0", "web-0", "web", "0", "web-0", revision.Metadata.Name), (pod.Metadata.Name, pod.Spec.Hostname, pod.Spec.Subdomain, pod.Metadata.Labels[StatefulPods.PodIndexLabel], pod.Metadata.Labels[StatefulPods.PodNameLabel], pod.Metadata.Labels[StatefulPods.RevisionLabel]));
        Assert.Equal($"web-{revision.Metadata.Labels["controller.kubernetes.io/hash"]}", revision.Metadata.Name);
        Assert.Equal("data-web-0", Assert.Single(pod.Spec.Volumes).PersistentVolumeClaim.ClaimName);
        var claim = Assert.Single(client.Claims);
        Assert.Equal(("data-web-0", "web"), (claim.Metadata.Name, claim.Metadata.Labels["app"]));
        Assert.Contains(("web", "SuccessfulCreate", "create Claim data-web-0 Pod web-0 in StatefulSet web success"), _events.Recorded);
        Assert.Contains(("web", "SuccessfulCreate", "create Pod web-0 in StatefulSet web successful"), _events.Recorded);
    }

    [Fact]
    public async Task OrderedReady_WaitsForThePodBefore_Parallel_DoesNot()
    {
        var set = Set("web", replicas: 3);
        var revision = Revision(set);
        var (controller, _) = Controller(set, [revision], Pod(set, 0, revision, ready: false));
        await controller.SyncAsync("default/web", CancellationToken.None);
        Assert.Empty(_podControl.Created);

        var parallel = Set("par", replicas: 3);
        parallel.Spec.PodManagementPolicy = "Parallel";
        var (second, _) = Controller(parallel);
        await second.SyncAsync("default/par", CancellationToken.None);
        Assert.Equal(["par-0", "par-1", "par-2"], _podControl.Created.Select(p => p.Metadata.Name).Order());
    }

    [Fact]
    public async Task ScalingDown_TakesTheHighestOrdinalFirst_OneAtATime()
    {
        var set = Set("web", replicas: 1);
        var revision = Revision(set);
        var (controller, client) = Controller(set, [revision], Pod(set, 0, revision), Pod(set, 1, revision), Pod(set, 2, revision));

        await controller.SyncAsync("default/web", CancellationToken.None);

        Assert.Equal(["web-2"], _podControl.Deleted);
        Assert.Contains(("web", "SuccessfulDelete", "delete Pod web-2 in StatefulSet web successful"), _events.Recorded);
        Assert.Equal(3, client.StatusWrites[^1].Replicas);
    }

    [Fact]
    public async Task WhenScaledDelete_TheClaimOfAPodScaledAwayIsOwnedByIt()
    {
        var set = Set("db", replicas: 1);
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" } }];
        set.Spec.PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = "Retain", WhenScaled = "Delete" };
        var revision = Revision(set);
        var condemned = Pod(set, 1, revision);
        var (controller, client) = Controller(set, [revision], Pod(set, 0, revision), condemned);
        client.Claims.AddRange([.. StatefulPods.Claims(set, 0), .. StatefulPods.Claims(set, 1)]);

        await controller.SyncAsync("default/db", CancellationToken.None);

        Assert.Equal(["db-1"], _podControl.Deleted);
        var owned = client.Claims.Single(c => c.Metadata.Name == "data-db-1");
        Assert.Equal(("Pod", "db-1", condemned.Metadata.Uid), (owned.Metadata.OwnerReferences[0].Kind, owned.Metadata.OwnerReferences[0].Name, owned.Metadata.OwnerReferences[0].Uid));
        Assert.Null(client.Claims.Single(c => c.Metadata.Name == "data-db-0").Metadata.OwnerReferences);
    }

    [Fact]
    public async Task APodThatLostItsIdentityLabels_GetsThemBack_ItsClaimVolumesAreLeftAlone()
    {
        var set = Set("web", replicas: 2);
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" } }];
        var revision = Revision(set);
        var stripped = Pod(set, 1, revision);
        stripped.Metadata.Labels.Remove(StatefulPods.PodNameLabel);
        var (controller, client) = Controller(set, [revision], Pod(set, 0, revision), stripped);
        client.Claims.AddRange([.. StatefulPods.Claims(set, 0), .. StatefulPods.Claims(set, 1)]);

        await controller.SyncAsync("default/web", CancellationToken.None);

        var (name, patch) = Assert.Single(_podControl.Patched);
        Assert.Equal(("web-1", """{"metadata":{"labels":{"statefulset.kubernetes.io/pod-name":"web-1","apps.kubernetes.io/pod-index":"1"}}}"""), (name, patch));
        Assert.Contains(("web", "SuccessfulUpdate", "update Pod web-1 in StatefulSet web successful"), _events.Recorded);
    }

    [Fact]
    public void StorageMatches_WhenEveryTemplateIsAVolumeOfItsOrdinalsClaim()
    {
        var set = Set("web", replicas: 1);
        set.Spec.VolumeClaimTemplates = [new V1PersistentVolumeClaim { Metadata = new V1ObjectMeta { Name = "data" } }];
        var pod = Pod(set, 0, Revision(set));
        Assert.True(StatefulPods.StorageMatches(set, pod));
        pod.Spec.Volumes[0].PersistentVolumeClaim.ClaimName = "data-web-7";
        Assert.False(StatefulPods.StorageMatches(set, pod));
        Assert.Contains("\"volumes\":[{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"data-web-0\"}}]", StatefulPods.FixPatch(set, pod), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2", true, new[] { "web-3", "web-2" })]
    [InlineData("50%", true, new[] { "web-3", "web-2" })]
    [InlineData("2", false, new[] { "web-3" })]   // web-0 unready spends one of the two
    [InlineData("10%", true, new[] { "web-3" })]   // rounded down, but at least one
    public async Task MaxUnavailable_DeletesThatManyOutdatedPodsAtOnce_LessTheUnhealthyOnes(string maxUnavailable, bool allReady, string[] deleted)
    {
        var set = Set("web", replicas: 4);
        var old = Revision(set);
        set.Spec.Template.Spec.Containers[0].Image = "busybox:1.36";
        set.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = maxUnavailable.EndsWith('%') ? (IntOrString)maxUnavailable : (IntOrString)int.Parse(maxUnavailable, System.Globalization.CultureInfo.InvariantCulture);
        set.Status.CurrentRevision = old.Metadata.Name;
        set.Spec.PodManagementPolicy = "Parallel";
        var (controller, _) = Controller(set, [old], Pod(set, 0, old, ready: allReady), Pod(set, 1, old), Pod(set, 2, old), Pod(set, 3, old));

        await controller.SyncAsync("default/web", CancellationToken.None);

        Assert.Equal(deleted, _podControl.Deleted);
    }

    [Fact]
    public async Task ARollingUpdate_ReplacesFromTheTop_DownToThePartition()
    {
        var set = Set("web", replicas: 3);
        var old = Revision(set);
        set.Spec.Template.Spec.Containers[0].Image = "busybox:1.36";
        set.Spec.UpdateStrategy.RollingUpdate.Partition = 1;
        set.Status.CurrentRevision = old.Metadata.Name;
        var (controller, client) = Controller(set, [old], Pod(set, 0, old), Pod(set, 1, old), Pod(set, 2, old));

        await controller.SyncAsync("default/web", CancellationToken.None);

        Assert.Equal(["web-2"], _podControl.Deleted);
        var status = client.StatusWrites[^1];
        Assert.Equal(old.Metadata.Name, status.CurrentRevision);
        Assert.NotEqual(old.Metadata.Name, status.UpdateRevision);
        Assert.Equal(client.Revisions.Single().Metadata.Name, status.UpdateRevision);
    }

    [Theory]
    [InlineData("web-0", 0)]
    [InlineData("web-12", 12)]
    [InlineData("my-web-3", 3)]
    [InlineData("web", -1)]
    [InlineData("web-x", -1)]
    public void TheOrdinalIsTheNamesLastNumber(string name, int ordinal) =>
        Assert.Equal(ordinal, StatefulPods.Ordinal(new V1Pod { Metadata = new V1ObjectMeta { Name = name } }));

    private (StatefulSetController Controller, FakeStatefulSetClient Client) Controller(V1StatefulSet set, V1ControllerRevision[]? revisions = null, params V1Pod[] pods)
    {
        var client = new FakeStatefulSetClient(set);
        return (new StatefulSetController(Make.Lister(set), Make.Lister(pods), Make.Lister(revisions ?? []), _podControl, client, _events, _time, NullLogger.Instance), client);
    }

    private static V1StatefulSet Set(string name, int replicas) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = "uid-" + name, Generation = 1, ResourceVersion = "1" },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            PodManagementPolicy = "OrderedReady",
            RevisionHistoryLimit = 10,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 0 } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] },
            },
        },
        Status = new V1StatefulSetStatus(),
    };

    private static V1ControllerRevision Revision(V1StatefulSet set)
    {
        var patch = ControllerRevisions.Patch(set.Spec.Template);
        return new V1ControllerRevision
        {
            Metadata = new V1ObjectMeta
            {
                Name = ControllerRevisions.Name(set.Metadata.Name, ControllerRevisions.Hash(patch, 0)),
                NamespaceProperty = "default",
                OwnerReferences = [OwnerReferences.ControllerRef(set, "apps/v1", "StatefulSet")],
            },
            Data = System.Text.Json.Nodes.JsonNode.Parse(patch),
            Revision = 1,
        };
    }

    private static V1Pod Pod(V1StatefulSet set, int ordinal, V1ControllerRevision revision, bool ready = true)
    {
        var pod = StatefulPods.New(set, ControllerRevisions.Template(revision), revision.Metadata.Name, ordinal);
        pod.Metadata.Uid = "uid-" + pod.Metadata.Name;
        pod.Metadata.ResourceVersion = "1";
        pod.Metadata.CreationTimestamp = Make.Now.AddMinutes(-10).UtcDateTime;
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Make.Now.AddMinutes(-5).UtcDateTime }],
        };
        return pod;
    }
}
