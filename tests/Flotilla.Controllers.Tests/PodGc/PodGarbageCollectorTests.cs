using Flotilla.Controllers.PodGc;
using Flotilla.Controllers.Tests.Testing;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.PodGc;

/// <summary>One collection pass at a time against listers and a recording client.</summary>
public sealed class PodGarbageCollectorTests
{
    private readonly FakeTimeProvider _time = new(Make.Now);
    private readonly FakePodGcClient _client = new();

    private PodGarbageCollector Collector(int threshold, V1Pod[] pods, params V1Node[] nodes) =>
        new(Make.Lister(pods), Make.Lister(nodes), _client, threshold, _time, NullLogger.Instance);

    [Fact]
    public async Task TerminatedPodsBeyondTheThreshold_Go_EvictedFirstThenOldest()
    {
        var pods = new[]
        {
            Make.Pod("new-done", phase: "Succeeded", created: Make.Now.AddMinutes(-1)),
            Make.Pod("old-done", phase: "Succeeded", created: Make.Now.AddMinutes(-9)),
            Make.Pod("evicted", phase: "Failed", created: Make.Now.AddMinutes(-2)),
            Make.Pod("mid-failed", phase: "Failed", created: Make.Now.AddMinutes(-5)),
            Make.Pod("running", phase: "Running", created: Make.Now.AddHours(-1)),
        };
        pods[2].Status.Reason = "Evicted";

        await Collector(2, pods, Make.Node("node-1")).CollectAsync(CancellationToken.None);

        Assert.Equal(["evicted", "old-done"], _client.Deleted.Order(StringComparer.Ordinal));
        Assert.Empty(_client.MarkedFailed);   // finished already: no status write
    }

    [Fact]
    public async Task PodsOfAGoneNode_AreMarkedAndDeleted_AfterTheQuarantine_IfTheServerAgrees()
    {
        var orphan = Make.Pod("orphan", node: "gone", phase: "Running");
        var cacheLag = Make.Pod("lagging", node: "just-made", phase: "Running");
        _client.ExistingNodes.Add("just-made");
        var collector = Collector(0, [orphan, cacheLag], Make.Node("node-1"));

        await collector.CollectAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(39));
        await collector.CollectAsync(CancellationToken.None);
        Assert.Empty(_client.Deleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        await collector.CollectAsync(CancellationToken.None);

        Assert.Equal(["orphan"], _client.Deleted);
        var (name, condition) = Assert.Single(_client.MarkedFailed);
        Assert.Equal(("orphan", "DisruptionTarget", "DeletionByPodGC", "PodGC: node no longer exists"), (name, condition!.Type, condition.Reason, condition.Message));
    }

    [Fact]
    public async Task TerminatingPods_NeverScheduled_OrOnAnOutOfServiceNode_Go()
    {
        var unscheduled = Make.Pod("unscheduled");
        unscheduled.Metadata.DeletionTimestamp = Make.Now.UtcDateTime;
        var stuck = Make.Pod("stuck", node: "down", phase: "Running");
        stuck.Metadata.DeletionTimestamp = Make.Now.UtcDateTime;
        var waiting = Make.Pod("waiting", node: "node-1", phase: "Running");
        waiting.Metadata.DeletionTimestamp = Make.Now.UtcDateTime;
        var down = Make.Node("down");
        down.Spec = new V1NodeSpec { Taints = [new V1Taint { Key = PodGarbageCollector.OutOfServiceTaint, Effect = "NoExecute" }] };

        await Collector(0, [unscheduled, stuck, waiting], Make.Node("node-1"), down).CollectAsync(CancellationToken.None);

        Assert.Equal(["stuck", "unscheduled"], _client.Deleted.Order(StringComparer.Ordinal));
        Assert.All(_client.MarkedFailed, m => Assert.Null(m.Condition));
    }

    private sealed class FakePodGcClient : IPodGcClient
    {
        public HashSet<string> ExistingNodes { get; } = [];

        public List<string> Deleted { get; } = [];

        public List<(string Name, V1PodCondition? Condition)> MarkedFailed { get; } = [];

        public Task<bool> NodeExistsAsync(string name, CancellationToken cancellationToken) => Task.FromResult(ExistingNodes.Contains(name));

        public Task MarkFailedAsync(V1Pod pod, V1PodCondition? condition, CancellationToken cancellationToken)
        {
            lock (MarkedFailed)
            {
                MarkedFailed.Add((pod.Metadata.Name, condition));
            }

            return Task.CompletedTask;
        }

        public Task ForceDeleteAsync(V1Pod pod, CancellationToken cancellationToken)
        {
            lock (Deleted)
            {
                Deleted.Add(pod.Metadata.Name);
            }

            return Task.CompletedTask;
        }
    }
}
