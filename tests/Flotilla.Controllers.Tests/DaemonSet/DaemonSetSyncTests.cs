using Flotilla.Controllers.DaemonSet;
using Flotilla.Controllers.Tests.Testing;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.DaemonSet;

/// <summary>One SyncAsync at a time against listers: given nodes, a DaemonSet and its pods, expect these pods and this status.</summary>
public sealed class DaemonSetSyncTests
{
    private readonly FakeTimeProvider _time = new(Make.Now);
    private readonly RecordingPodControl _podControl = new();
    private readonly RecordingEvents _events = new();

    [Fact]
    public async Task EveryFittingNodeGetsAPod_PinnedToIt_WithTheRevisionHash()
    {
        var ds = DaemonNodesTests.DaemonSet();
        var tainted = DaemonNodesTests.Node("n3");
        tainted.Spec.Taints = [new V1Taint { Key = "dedicated", Effect = "NoSchedule" }];
        var (controller, client) = Controller(ds, [DaemonNodesTests.Node("n1"), DaemonNodesTests.Node("n2"), tainted]);

        await controller.SyncAsync("default/agent", CancellationToken.None);

        var revision = Assert.Single(client.Revisions);
        var hash = revision.Metadata.Labels[DaemonSetController.RevisionHashLabel];
        Assert.Equal($"agent-{hash}", revision.Metadata.Name);
        Assert.Equal(1, revision.Revision);
        var created = _podControl.Created.OrderBy(p => DaemonNodes.TargetNode(p)).ToList();
        Assert.Equal(["n1", "n2"], created.Select(DaemonNodes.TargetNode));
        Assert.All(created, p =>
        {
            Assert.Equal("agent-", p.Metadata.GenerateName);
            Assert.Equal((hash, "1"), (p.Metadata.Labels[DaemonSetController.RevisionHashLabel], p.Metadata.Labels[DaemonSetController.TemplateGenerationLabel]));
            Assert.Null(p.Spec.NodeName);
            Assert.Contains(p.Spec.Tolerations, t => t.Key == "node.kubernetes.io/not-ready" && t.Effect == "NoExecute" && t.OperatorProperty == "Exists");
        });
        Assert.Equal(2, client.StatusWrites[^1].DesiredNumberScheduled);
    }

    [Fact]
    public async Task ExtraAndMisplacedPodsGo_TheOldestStays()
    {
        var ds = DaemonNodesTests.DaemonSet();
        var hash = Flotilla.Controllers.Deployment.PodTemplateHash.Compute(ds.Spec.Template, null);
        var oldest = Pod(ds, "agent-old", "n1", hash, Make.Now.AddMinutes(-10));
        var newer = Pod(ds, "agent-new", "n1", hash, Make.Now.AddMinutes(-5));
        var gone = Pod(ds, "agent-gone", "n9", hash, Make.Now.AddMinutes(-5));
        gone.Spec.NodeName = null;
        var (controller, _) = Controller(ds, [DaemonNodesTests.Node("n1")], oldest, newer, gone);

        await controller.SyncAsync("default/agent", CancellationToken.None);

        Assert.Equal(["agent-gone", "agent-new"], _podControl.Deleted.Order());
        Assert.Empty(_podControl.Created);
    }

    [Fact]
    public async Task ARollingUpdate_ReplacesOneAvailablePodAtATime()
    {
        var ds = DaemonNodesTests.DaemonSet();
        var nodes = new[] { DaemonNodesTests.Node("n1"), DaemonNodesTests.Node("n2"), DaemonNodesTests.Node("n3") };
        var pods = nodes.Select(n => Pod(ds, $"agent-{n.Metadata.Name}", n.Metadata.Name, "old-hash", Make.Now.AddMinutes(-10), ready: true)).ToArray();
        var (controller, client) = Controller(ds, nodes, pods);

        await controller.SyncAsync("default/agent", CancellationToken.None);

        Assert.Single(_podControl.Deleted);  // maxUnavailable 1
        Assert.Empty(_podControl.Created);   // the next pass makes the replacement
        Assert.Equal((3, 0), (client.StatusWrites[^1].DesiredNumberScheduled, client.StatusWrites[^1].UpdatedNumberScheduled ?? 0));
    }

    [Fact]
    public async Task ARollingUpdateWithSurge_StartsTheNewPodFirst_ThenRetiresTheOldOne()
    {
        var ds = DaemonNodesTests.DaemonSet();
        ds.Spec.UpdateStrategy.RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = 0, MaxSurge = 1 };
        var hash = Flotilla.Controllers.Deployment.PodTemplateHash.Compute(ds.Spec.Template, null);
        var nodes = new[] { DaemonNodesTests.Node("n1"), DaemonNodesTests.Node("n2") };
        var olds = nodes.Select(n => Pod(ds, $"agent-old-{n.Metadata.Name}", n.Metadata.Name, "old-hash", Make.Now.AddMinutes(-10), ready: true)).ToArray();
        var (controller, _) = Controller(ds, nodes, olds);

        await controller.SyncAsync("default/agent", CancellationToken.None);

        Assert.Empty(_podControl.Deleted);
        Assert.Equal(["n1"], _podControl.Created.Select(DaemonNodes.TargetNode));  // one node at a time

        // The new pod on n1 is available: its old pod goes (the manage pass sees two there)...
        var fresh = Pod(ds, "agent-new-n1", "n1", hash, Make.Now.AddMinutes(-2), ready: true);
        var (next, _) = Controller(ds, nodes, [.. olds, fresh]);
        await next.SyncAsync("default/agent", CancellationToken.None);
        Assert.Equal(["agent-old-n1"], _podControl.Deleted);
        Assert.Single(_podControl.Created);

        // ... and once it is gone, n2 gets its new pod.
        var (last, _) = Controller(ds, nodes, olds[1], fresh);
        await last.SyncAsync("default/agent", CancellationToken.None);
        Assert.Equal(["n1", "n2"], _podControl.Created.Select(DaemonNodes.TargetNode));
    }

    [Fact]
    public async Task TheStatus_CountsWhatRunsWhere()
    {
        var ds = DaemonNodesTests.DaemonSet();
        var hash = Flotilla.Controllers.Deployment.PodTemplateHash.Compute(ds.Spec.Template, null);
        var selective = DaemonNodesTests.Node("n2");
        selective.Spec.Taints = [new V1Taint { Key = "dedicated", Effect = "NoSchedule" }];
        var pods = new[] { Pod(ds, "agent-a", "n1", hash, Make.Now.AddMinutes(-10), ready: true), Pod(ds, "agent-b", "n2", hash, Make.Now.AddMinutes(-10), ready: true) };
        var (controller, client) = Controller(ds, [DaemonNodesTests.Node("n1"), selective], pods);

        await controller.SyncAsync("default/agent", CancellationToken.None);

        var status = client.StatusWrites[^1];
        // n2's pod may stay, but it is misscheduled there (a node that should not run one), as upstream counts it.
        Assert.Equal((1, 1, 1, 1, 1, 1, 0, 1L), (status.DesiredNumberScheduled, status.CurrentNumberScheduled, status.NumberMisscheduled, status.NumberReady, status.NumberAvailable, status.UpdatedNumberScheduled, status.NumberUnavailable, status.ObservedGeneration));
    }

    private (DaemonSetController Controller, FakeDaemonSetClient Client) Controller(V1DaemonSet ds, V1Node[] nodes, params V1Pod[] pods)
    {
        var client = new FakeDaemonSetClient(ds);
        return (new DaemonSetController(Make.Lister(ds), Make.Lister(pods), Make.Lister(nodes), Make.Lister<V1ControllerRevision>(), _podControl, client, _events, _time, NullLogger.Instance), client);
    }

    private static V1Pod Pod(V1DaemonSet ds, string name, string node, string hash, DateTimeOffset created, bool ready = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Uid = "uid-" + name,
            ResourceVersion = "1",
            CreationTimestamp = created.UtcDateTime,
            Labels = new Dictionary<string, string> { ["app"] = "agent", [DaemonSetController.RevisionHashLabel] = hash },
            OwnerReferences = [Flotilla.Controllers.Framework.OwnerReferences.ControllerRef(ds, "apps/v1", "DaemonSet")],
        },
        Spec = new V1PodSpec { NodeName = node, Affinity = DaemonNodes.PinToNode(null, node), Containers = [new V1Container { Name = "c", Image = "busybox:1.35" }] },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = created.UtcDateTime }],
        },
    };
}
