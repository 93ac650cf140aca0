using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Queue;

/// <summary>How cluster events move unschedulable pods, and how events during a pod's attempt decide where it goes back.</summary>
public sealed class SchedulingQueueEventsTests : IAsyncLifetime
{
    private static readonly ClusterEvent NodeAdd = new(EventResource.Node, ActionType.Add);
    private static readonly ClusterEvent NodeLabel = new(EventResource.Node, ActionType.UpdateNodeLabel);
    private static readonly ClusterEvent NodeTaint = new(EventResource.Node, ActionType.UpdateNodeTaint);
    private static readonly ClusterEvent PvcAdd = new(EventResource.PersistentVolumeClaim, ActionType.Add);

    private readonly QueueHarness _h = new();

    private SchedulingQueue Queue => _h.Queue;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task MoveAll_OnlyEventsTheRejectingPluginRegistered()
    {
        var fit = Make.Pod("fit");
        var affinity = Make.Pod("affinity");
        Queue.Add(fit);
        await _h.FailAsync(QueueHarness.Fit);
        Queue.Add(affinity);
        await _h.FailAsync(QueueHarness.NodeAffinity);
        _h.Time.Advance(TimeSpan.FromSeconds(5));

        Queue.MoveAllToActiveOrBackoffQueue(NodeTaint, null, null);
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(fit));
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(affinity));

        Queue.MoveAllToActiveOrBackoffQueue(NodeLabel, null, null);
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(fit));
        Assert.Equal(PendingQueue.Active, _h.Where(affinity));

        Queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.Node, ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeCondition), null, null);
        Assert.Equal(PendingQueue.Active, _h.Where(fit));
    }

    [Fact]
    public async Task MoveAll_StillBackingOff_GoesToBackoffThenActive()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.FailAsync(QueueHarness.Fit);

        Queue.MoveAllToActiveOrBackoffQueue(NodeAdd, null, null);
        Assert.Equal(PendingQueue.Backoff, _h.Where(pod));

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PendingQueue.Active, _h.Where(pod));
    }

    [Fact]
    public async Task MoveAll_RejectedByUnregisteredPlugin_MovesOnAnyEvent()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.FailAsync("SomeOutOfTreePlugin");
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        Queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.StorageClass, ActionType.Add), null, null);

        Assert.Equal(PendingQueue.Active, _h.Where(pod));
    }

    [Fact]
    public async Task MoveAll_AssignedPodDelete_CoveredByPodRegistration()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.FailAsync(QueueHarness.Fit);
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        Queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.AssignedPod, ActionType.Add), null, Make.Pod("bound", nodeName: "n1"));
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(pod));

        Queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.AssignedPod, ActionType.Delete), Make.Pod("bound", nodeName: "n1"), null);
        Assert.Equal(PendingQueue.Active, _h.Where(pod));
    }

    [Fact]
    public async Task PendingPlugin_EventSkipsBackoff()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        var info = await _h.PopReadyAsync();
        info.PendingPlugins.Add(QueueHarness.VolumeBinding);
        Queue.AddUnschedulableIfNotPresent(info, Queue.SchedulingCycle);
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(pod));

        Queue.MoveAllToActiveOrBackoffQueue(PvcAdd, null, null);

        Assert.Equal(PendingQueue.Active, _h.Where(pod));
    }

    [Fact]
    public async Task FailedWithError_GoesToBackoff()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);

        await _h.FailAsync();

        Assert.Equal(PendingQueue.Backoff, _h.Where(pod));
    }

    [Fact]
    public async Task RelevantEventDuringAttempt_FailureGoesToBackoff()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        var info = await _h.PopReadyAsync();
        var cycle = Queue.SchedulingCycle;

        Queue.MoveAllToActiveOrBackoffQueue(NodeAdd, null, null);
        info.UnschedulablePlugins.Add(QueueHarness.Fit);
        Queue.AddUnschedulableIfNotPresent(info, cycle);

        Assert.Equal(PendingQueue.Backoff, _h.Where(pod));
    }

    [Fact]
    public async Task IrrelevantEventDuringAttempt_FailureGoesToUnschedulable()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        var info = await _h.PopReadyAsync();
        var cycle = Queue.SchedulingCycle;

        Queue.MoveAllToActiveOrBackoffQueue(NodeLabel, null, null);
        info.UnschedulablePlugins.Add(QueueHarness.Fit);
        Queue.AddUnschedulableIfNotPresent(info, cycle);

        Assert.Equal(PendingQueue.Unschedulable, _h.Where(pod));
    }

    [Fact]
    public async Task EventBeforeAttempt_DoesNotCount()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        Queue.MoveAllToActiveOrBackoffQueue(NodeAdd, null, null);

        await _h.FailAsync(QueueHarness.Fit);

        Assert.Equal(PendingQueue.Unschedulable, _h.Where(pod));
    }

    [Fact]
    public async Task EventsDuringAttempt_OutliveAnotherPodsDone()
    {
        // Two pods in flight; an event during both; the first fails, then comes an event only the second cares about.
        var a = Make.Pod("a", priority: 2);
        var b = Make.Pod("b", priority: 1);
        Queue.Add(a);
        Queue.Add(b);
        var infoA = await _h.PopReadyAsync();
        var cycleA = Queue.SchedulingCycle;
        var infoB = await _h.PopReadyAsync();
        var cycleB = Queue.SchedulingCycle;

        Queue.MoveAllToActiveOrBackoffQueue(NodeLabel, null, null);
        infoA.UnschedulablePlugins.Add(QueueHarness.NodeAffinity);
        Queue.AddUnschedulableIfNotPresent(infoA, cycleA);
        Queue.MoveAllToActiveOrBackoffQueue(PvcAdd, null, null);
        infoB.UnschedulablePlugins.Add(QueueHarness.VolumeBinding);
        Queue.AddUnschedulableIfNotPresent(infoB, cycleB);

        Assert.Equal(PendingQueue.Backoff, _h.Where(a));
        Assert.Equal(PendingQueue.Backoff, _h.Where(b));
    }

    [Fact]
    public async Task EventAfterDone_NotRecordedForLaterAttempts()
    {
        var done = Make.Pod("done");
        Queue.Add(done);
        var info = await _h.PopReadyAsync();
        Queue.Done(info.Uid);
        Queue.MoveAllToActiveOrBackoffQueue(NodeAdd, null, null);

        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.FailAsync(QueueHarness.Fit);

        Assert.Equal(PendingQueue.Unschedulable, _h.Where(pod));
    }

    [Theory]
    [InlineData(true, PendingQueue.Backoff)]
    [InlineData(false, PendingQueue.Unschedulable)]
    public void NotPoppedHere_FallsBackToMoveRequestCycle(bool moveDuringCycle, PendingQueue expected)
    {
        // upstream's moveRequestCycle: a move request at or after the pod's cycle sends it to back-off.
        Queue.Add(Make.Pod("other"));
        var cycle = Queue.SchedulingCycle + 1;
        if (moveDuringCycle)
        {
            _ = Queue.PopAsync(CancellationToken.None);
            Queue.MoveAllToActiveOrBackoffQueue(NodeAdd, null, null);
        }
        else
        {
            Queue.MoveAllToActiveOrBackoffQueue(NodeAdd, null, null);
            _ = Queue.PopAsync(CancellationToken.None);
        }

        var pod = Make.Pod("p");
        var info = new QueuedPodInfo(new PodInfo(pod), _h.Time.GetUtcNow()) { Attempts = 1 };
        info.UnschedulablePlugins.Add(QueueHarness.Fit);
        Queue.AddUnschedulableIfNotPresent(info, cycle);

        Assert.Equal(expected, _h.Where(pod));
    }

    [Fact]
    public async Task AssignedPodAdded_MovesPodsWhoseAffinityItSatisfies()
    {
        var wantsDb = Make.Pod("wants-db", affinity: RequiredAffinity("app", "db"));
        var wantsWeb = Make.Pod("wants-web", affinity: RequiredAffinity("app", "web"));
        var spread = Make.Pod("spread");
        var spreadElsewhere = Make.Pod("spread-elsewhere", ns: "other");
        var fit = Make.Pod("fit");
        Queue.Add(wantsDb);
        await _h.FailAsync(QueueHarness.InterPodAffinity);
        Queue.Add(wantsWeb);
        await _h.FailAsync(QueueHarness.InterPodAffinity);
        Queue.Add(spread);
        await _h.FailAsync(QueueHarness.PodTopologySpread);
        Queue.Add(spreadElsewhere);
        await _h.FailAsync(QueueHarness.PodTopologySpread);
        Queue.Add(fit);
        await _h.FailAsync(QueueHarness.Fit);
        _h.Time.Advance(TimeSpan.FromSeconds(1));

        Queue.AssignedPodAdded(Make.Pod("db-0", labels: new Dictionary<string, string> { ["app"] = "db" }, nodeName: "n1"));

        Assert.Equal(PendingQueue.Active, _h.Where(wantsDb));
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(wantsWeb));
        Assert.Equal(PendingQueue.Active, _h.Where(spread));
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(spreadElsewhere));
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(fit));
    }

    [Fact]
    public async Task AssignedPodUpdated_ScaleDown_MovesFitRejectedPods()
    {
        var fit = Make.Pod("fit");
        Queue.Add(fit);
        await _h.FailAsync(QueueHarness.Fit);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var before = Make.Pod("bound", cpu: "2", nodeName: "n1");
        var after = Make.Pod("bound", cpu: "1", nodeName: "n1");

        var labelChange = new ClusterEvent(EventResource.AssignedPod, ActionType.UpdatePodLabel);
        Queue.AssignedPodUpdated(before, after, labelChange);
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(fit));

        var events = PodChanges.SchedulingPropertiesChange(after, before);
        Assert.Equal([new ClusterEvent(EventResource.AssignedPod, ActionType.UpdatePodScaleDown)], events);
        Queue.AssignedPodUpdated(before, after, events[0]);
        Assert.Equal(PendingQueue.Active, _h.Where(fit));
    }

    [Fact]
    public async Task AssignedPodAdded_NamespaceSelectorTerm_UsesNamespaceLabels()
    {
        await using var h = new QueueHarness(new SchedulingQueueOptions
        {
            NamespaceLabels = ns => ns == "team-a" ? new Dictionary<string, string> { ["team"] = "a" } : null,
        });
        var term = new V1PodAffinityTerm
        {
            LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } },
            NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = "a" } },
            TopologyKey = "kubernetes.io/hostname",
        };
        var pod = Make.Pod("p", affinity: new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [term] } });
        h.Queue.Add(pod);
        await h.FailAsync(QueueHarness.InterPodAffinity);
        h.Time.Advance(TimeSpan.FromSeconds(1));

        h.Queue.AssignedPodAdded(Make.Pod("db-b", ns: "team-b", labels: new Dictionary<string, string> { ["app"] = "db" }, nodeName: "n1"));
        Assert.Equal(PendingQueue.Unschedulable, h.Where(pod));

        h.Queue.AssignedPodAdded(Make.Pod("db-a", ns: "team-a", labels: new Dictionary<string, string> { ["app"] = "db" }, nodeName: "n1"));
        Assert.Equal(PendingQueue.Active, h.Where(pod));
    }

    [Fact]
    public void PluginEvents_TakesPluginsWithEnqueueExtensions()
    {
        var events = PluginEvents.From([new Registering(), new Silent()]);

        Assert.Equal(["Registering"], events.Keys);
        Assert.Equal([NodeAdd], events["Registering"]);
    }

    private static V1Affinity RequiredAffinity(string key, string value) => new()
    {
        PodAffinity = new V1PodAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution =
            [
                new V1PodAffinityTerm
                {
                    LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [key] = value } },
                    TopologyKey = "kubernetes.io/hostname",
                },
            ],
        },
    };

    private sealed class Registering : IPlugin, IEnqueueExtensions
    {
        public string Name => "Registering";

        public IReadOnlyList<ClusterEvent> EventsToRegister() => [NodeAdd];
    }

    private sealed class Silent : IPlugin
    {
        public string Name => "Silent";
    }
}
