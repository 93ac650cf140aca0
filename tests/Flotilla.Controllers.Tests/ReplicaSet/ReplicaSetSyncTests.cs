using Flotilla.Controllers.ReplicaSet;
using Flotilla.Controllers.Tests.Testing;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.ReplicaSet;

/// <summary>One SyncAsync at a time against listers and a recording client: given these objects, expect these writes.</summary>
public sealed class ReplicaSetSyncTests
{
    private readonly FakeTimeProvider _time = new(Make.Now);
    private readonly RecordingPodControl _pods = new();

    private ReplicaSetController Controller(V1ReplicaSet rs, FakeReplicaSetClient client, params V1Pod[] pods) =>
        new(ReplicaSetKind.ReplicaSet, new ReplicaSetReader(Make.Lister(rs)), Make.Lister(pods), _pods, client, _time, NullLogger.Instance);

    [Theory]
    [InlineData(0, 3, 3)]
    [InlineData(1, 3, 2)]
    [InlineData(0, 700, ReplicaSetController.BurstReplicas)]
    public async Task TooFewPods_CreatesTheMissingOnes_AtMostABurst(int existing, int replicas, int created)
    {
        var rs = Make.ReplicaSet("web", replicas);
        var pods = Enumerable.Range(0, existing).Select(i => Make.Pod($"web-{i}", owner: rs)).ToArray();
        var controller = Controller(rs, new FakeReplicaSetClient(rs), pods);

        await controller.SyncAsync("default/web", CancellationToken.None);

        Assert.Equal(created, _pods.Created.Count);
        var pod = _pods.Created.First();
        Assert.Equal("web-", pod.Metadata.GenerateName);
        Assert.Equal("web", pod.Metadata.Labels["app"]);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.Equal(("apps/v1", "ReplicaSet", "web", "uid-web", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.False(controller.Expectations.Satisfied("default/web"));
    }

    [Theory]
    [InlineData(0, 1)]   // the first batch of one fails: one call, not ten
    [InlineData(1, 3)]   // 1 ok, then a batch of 2 with one failure
    [InlineData(3, 7)]   // 1 + 2 ok, then a batch of 4 with one failure
    public async Task CreateFailures_StopTheSlowStartAtTheFailingBatch_AndReportReplicaFailure(int succeed, int attempts)
    {
        var rs = Make.ReplicaSet("web", 10);
        var client = new FakeReplicaSetClient(rs);
        _pods.FailCreatesAfter = succeed;
        var controller = Controller(rs, client);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => controller.SyncAsync("default/web", CancellationToken.None));

        Assert.Contains("exceeded quota", error.Message, StringComparison.Ordinal);
        Assert.Equal(succeed, _pods.Created.Count);
        Assert.Equal(attempts, _pods.CreateAttempts);
        var condition = Assert.Single(Assert.Single(client.StatusWrites).Conditions);
        Assert.Equal(("ReplicaFailure", "True", "FailedCreate"), (condition.Type, condition.Status, condition.Reason));

        // Every create not observed is forgotten, so the next sync may act once the made ones show up.
        for (var i = 0; i < succeed; i++)
        {
            controller.Expectations.CreationObserved("default/web");
        }

        Assert.True(controller.Expectations.Satisfied("default/web"));
    }

    [Fact]
    public async Task PendingExpectations_HoldTheNextRound_UntilTheCreatesAreObserved()
    {
        var rs = Make.ReplicaSet("web", 2);
        var controller = Controller(rs, new FakeReplicaSetClient(rs));
        await controller.SyncAsync("default/web", CancellationToken.None);

        // The cache has not shown the two new pods yet: a second sync must not create two more.
        await controller.SyncAsync("default/web", CancellationToken.None);
        Assert.Equal(2, _pods.Created.Count);

        controller.Expectations.CreationObserved("default/web");
        controller.Expectations.CreationObserved("default/web");
        await controller.SyncAsync("default/web", CancellationToken.None);
        Assert.Equal(4, _pods.Created.Count);

        // Five minutes on, expectations that never came true are given up.
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await controller.SyncAsync("default/web", CancellationToken.None);
        Assert.Equal(6, _pods.Created.Count);
    }

    [Fact]
    public async Task TooManyPods_DeletesUnscheduledThenPendingThenNotReady_BeforeReadyOnes()
    {
        var rs = Make.ReplicaSet("web", 2);
        var pods = new[]
        {
            Make.Pod("ready-old", owner: rs, node: "n1", phase: "Running", ready: true, readySince: Make.Now.AddHours(-5)),
            Make.Pod("unscheduled", owner: rs),
            Make.Pod("running-not-ready", owner: rs, node: "n1", phase: "Running"),
            Make.Pod("pending", owner: rs, node: "n2"),
            Make.Pod("ready-new", owner: rs, node: "n2", phase: "Running", ready: true, readySince: Make.Now.AddSeconds(-30)),
        };
        var controller = Controller(rs, new FakeReplicaSetClient(rs), pods);

        rs.Spec.Replicas = 2;
        await controller.SyncAsync("default/web", CancellationToken.None);
        Assert.Equal(["pending", "running-not-ready", "unscheduled"], _pods.Deleted.Order(StringComparer.Ordinal));

        rs.Spec.Replicas = 1;
        var again = Controller(rs, new FakeReplicaSetClient(rs), pods[0], pods[4]);
        await again.SyncAsync("default/web", CancellationToken.None);
        Assert.Equal("ready-new", _pods.Deleted.Last());
    }

    [Fact]
    public async Task Orphans_ThatMatchAreAdopted_ChildrenThatStoppedMatchingAreReleased_OthersAreLeftAlone()
    {
        var rs = Make.ReplicaSet("web", 3);
        var other = Make.ReplicaSet("other", 1);
        var pods = new[]
        {
            Make.Pod("orphan"),
            Make.Pod("relabelled", app: "db", owner: rs),
            Make.Pod("foreign", owner: other),
            Make.Pod("unrelated-orphan", app: "db"),
            Make.Pod("mine", owner: rs),
        };
        var client = new FakeReplicaSetClient(rs);
        var controller = Controller(rs, client, pods);

        await controller.SyncAsync("default/web", CancellationToken.None);

        var patches = _pods.Patched.ToDictionary(p => p.Name, p => p.Patch);
        Assert.Equal(["orphan", "relabelled"], patches.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web","uid":"uid-web","controller":true,"blockOwnerDeletion":true}],"uid":"uid-orphan"}}""", patches["orphan"]);
        Assert.Equal("""{"metadata":{"ownerReferences":[{"$patch":"delete","uid":"uid-web"}],"uid":"uid-relabelled"}}""", patches["relabelled"]);
        Assert.Single(_pods.Created);  // 3 wanted: "mine", the adopted orphan, and one new
        Assert.Equal(2, client.StatusWrites.Single().Replicas);
    }

    [Fact]
    public async Task AReplicaSetGoneFromTheServer_AdoptsNothing()
    {
        var rs = Make.ReplicaSet("web", 1);
        var controller = Controller(rs, new FakeReplicaSetClient(), Make.Pod("orphan"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => controller.SyncAsync("default/web", CancellationToken.None));

        Assert.Contains("original ReplicaSet default/web is gone", error.Message, StringComparison.Ordinal);
        Assert.Empty(_pods.Patched);
        Assert.Empty(_pods.Created);
    }

    [Fact]
    public async Task Status_CountsLabelledReadyAndAvailablePods_WithMinReadySeconds_AndLooksAgainWhenTheyWillBeAvailable()
    {
        var rs = Make.ReplicaSet("web", 3, minReadySeconds: 60);
        rs.Metadata.Generation = 4;
        var pods = new[]
        {
            Make.Pod("a", owner: rs, node: "n", phase: "Running", ready: true, readySince: Make.Now.AddMinutes(-2)),
            Make.Pod("b", owner: rs, node: "n", phase: "Running", ready: true, readySince: Make.Now.AddSeconds(-10)),
            Make.Pod("c", owner: rs, node: "n", phase: "Running", ready: true, readySince: Make.Now.AddSeconds(-1)),
        };
        pods[2].Metadata.Labels["app"] = "web";
        rs.Spec.Template.Metadata.Labels["tier"] = "front";
        pods[0].Metadata.Labels["tier"] = "front";
        var client = new FakeReplicaSetClient(rs);

        await Controller(rs, client, pods).SyncAsync("default/web", CancellationToken.None);

        var status = Assert.Single(client.StatusWrites);
        Assert.Equal((3, 1, 3, 1, 4L), (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration));
    }

    [Fact]
    public async Task AnUnchangedStatus_IsNotWritten()
    {
        var rs = Make.ReplicaSet("web", 1);
        rs.Status = new V1ReplicaSetStatus { Replicas = 1, FullyLabeledReplicas = 1, ObservedGeneration = 1 };
        var client = new FakeReplicaSetClient(rs);

        await Controller(rs, client, Make.Pod("a", owner: rs)).SyncAsync("default/web", CancellationToken.None);

        Assert.Empty(client.StatusWrites);
        Assert.Empty(_pods.Created);
    }
}
