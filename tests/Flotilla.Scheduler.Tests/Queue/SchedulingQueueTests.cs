using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Queue;

public sealed class SchedulingQueueTests : IAsyncLifetime
{
    private readonly QueueHarness _h = new();

    private SchedulingQueue Queue => _h.Queue;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Pop_HigherPriorityFirst_ThenOlder()
    {
        var low = Make.Pod("low", priority: 0);
        var oldMid = Make.Pod("old-mid", priority: 50);
        var newMid = Make.Pod("new-mid", priority: 50);
        var high = Make.Pod("high", priority: 100);
        Queue.Add(low);
        Queue.Add(oldMid);
        _h.Time.Advance(TimeSpan.FromMilliseconds(10));
        Queue.Add(newMid);
        Queue.Add(high);

        string[] order = [(await _h.PopReadyAsync()).Key, (await _h.PopReadyAsync()).Key, (await _h.PopReadyAsync()).Key, (await _h.PopReadyAsync()).Key];

        Assert.Equal(["default/high", "default/old-mid", "default/new-mid", "default/low"], order);
    }

    [Fact]
    public async Task Pop_SameTimestamp_ArrivalOrder()
    {
        for (var i = 0; i < 5; i++)
        {
            Queue.Add(Make.Pod($"p{i}"));
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"default/p{i}", (await _h.PopReadyAsync()).Key);
        }
    }

    [Fact]
    public async Task Pop_CountsAttempts_AndSetsInitialAttemptTimestampOnce()
    {
        var added = _h.Time.GetUtcNow();
        Queue.Add(Make.Pod("p"));

        var first = await _h.PopReadyAsync();
        Assert.Equal(1, first.Attempts);
        Assert.Equal(added, first.InitialAttemptTimestamp);
        Assert.Equal(added, first.Timestamp);
        Assert.Equal(1, Queue.SchedulingCycle);

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        Queue.AddUnschedulableIfNotPresent(first, Queue.SchedulingCycle);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await _h.PopReadyAsync();

        Assert.Equal(2, second.Attempts);
        Assert.Equal(added, second.InitialAttemptTimestamp);
        Assert.Equal(added + TimeSpan.FromSeconds(1), second.Timestamp);
        Assert.Equal(2, Queue.SchedulingCycle);
    }

    [Fact]
    public async Task PopAsync_Empty_WaitsUntilAdd()
    {
        var pop = Queue.PopAsync(CancellationToken.None);
        Assert.False(pop.IsCompleted);

        Queue.Add(Make.Pod("p"));

        Assert.Equal("default/p", (await pop).Key);
    }

    [Fact]
    public async Task PopAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        var pop = Queue.PopAsync(cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pop);
    }

    [Fact]
    public async Task PopAsync_ManyWaiters_EachGetsOnePod()
    {
        var pops = Enumerable.Range(0, 3).Select(_ => Queue.PopAsync(CancellationToken.None)).ToList();

        Queue.Add(Make.Pod("a"));
        Queue.Add(Make.Pod("b"));
        Queue.Add(Make.Pod("c"));

        var keys = (await Task.WhenAll(pops)).Select(p => p.Key).Order().ToList();
        Assert.Equal(["default/a", "default/b", "default/c"], keys);
    }

    [Fact]
    public async Task BackoffFlow_PodWaitsOutEachBackoff()
    {
        // upstream TestBackOffFlow: a pod failing again and again waits 1, 2, 4, 8, 10, 10, 10 s.
        var pod = Make.Pod("p");
        Queue.Add(pod);
        int[] backoffs = [1, 2, 4, 8, 10, 10, 10];
        for (var i = 0; i < backoffs.Length; i++)
        {
            var info = await _h.FailAsync();
            Assert.Equal(i + 1, info.Attempts);
            Assert.Equal(PendingQueue.Backoff, _h.Where(pod));

            _h.Time.Advance(TimeSpan.FromSeconds(backoffs[i] - 1));
            Assert.Equal(PendingQueue.Backoff, _h.Where(pod));

            _h.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(PendingQueue.Active, _h.Where(pod));
        }
    }

    [Fact]
    public async Task AddUnschedulable_RejectedByPlugin_WaitsInUnschedulable()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);

        await _h.FailAsync(QueueHarness.Fit);
        _h.Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(PendingQueue.Unschedulable, _h.Where(pod));
        Assert.False(Queue.PopAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task AddUnschedulable_AlreadyQueued_ReturnsFalseAndEndsFlight()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        var info = await _h.PopReadyAsync();
        Queue.Add(pod);

        Assert.False(Queue.AddUnschedulableIfNotPresent(info, Queue.SchedulingCycle));

        // No longer in flight: the queued copy (a new entry, as upstream's Add makes) pops.
        Assert.Equal(PendingQueue.Active, _h.Where(pod));
        Assert.NotSame(info, await _h.PopReadyAsync());
    }

    [Fact]
    public async Task Pop_PodAlreadyInFlight_DropsTheCopy()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.PopReadyAsync();
        Queue.Add(pod);

        Assert.False(Queue.PopAsync(CancellationToken.None).IsCompleted);
        Assert.Null(_h.Where(pod));
    }

    [Fact]
    public async Task FlushUnschedulableLeftover_AfterFiveMinutes_MovesHighestPriorityFirst()
    {
        // upstream TestHighPriorityFlushUnschedulablePodsLeftover
        var mid = Make.Pod("mid", priority: 50);
        var high = Make.Pod("high", priority: 100);
        Queue.Add(mid);
        await _h.FailAsync(QueueHarness.Fit);
        Queue.Add(high);
        await _h.FailAsync(QueueHarness.Fit);

        _h.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(PendingQueue.Unschedulable, _h.Where(mid));

        _h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(PendingQueue.Active, _h.Where(mid));
        Assert.Equal(PendingQueue.Active, _h.Where(high));
        Assert.Equal("default/high", (await _h.PopReadyAsync()).Key);
    }

    [Fact]
    public async Task FlushUnschedulableLeftover_StillBackingOff_GoesToBackoff()
    {
        await using var h = new QueueHarness(new SchedulingQueueOptions { PodMaxInUnschedulablePodsDuration = TimeSpan.FromSeconds(20), PodMaxBackoff = TimeSpan.FromMinutes(2) });
        var pod = Make.Pod("p");
        h.Queue.Add(pod);
        for (var i = 0; i < 6; i++)
        {
            await h.FailAsync();
            h.Time.Advance(TimeSpan.FromSeconds(1 << i));
        }

        // The seventh attempt backs off 64 s; the 30 s flush finds the pod after 20 s in the unschedulable set.
        await h.FailAsync(QueueHarness.Fit);
        h.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(PendingQueue.Backoff, h.Where(pod));
    }

    [Fact]
    public async Task Delete_RemovesFromEverySubQueue()
    {
        var active = Make.Pod("active");
        var backoff = Make.Pod("backoff", priority: 3);
        var unschedulable = Make.Pod("unschedulable", priority: 2);
        var gated = Gated(Make.Pod("gated"));
        Queue.Add(backoff);
        await _h.FailAsync();
        Queue.Add(unschedulable);
        await _h.FailAsync(QueueHarness.Fit);
        Queue.Add(active);
        Queue.Add(gated);
        Assert.Equal(
            [PendingQueue.Active, PendingQueue.Backoff, PendingQueue.Unschedulable, PendingQueue.Gated],
            [_h.Where(active)!.Value, _h.Where(backoff)!.Value, _h.Where(unschedulable)!.Value, _h.Where(gated)!.Value]);

        foreach (var pod in new[] { active, backoff, unschedulable, gated })
        {
            Queue.Delete(pod);
        }

        Assert.Empty(Queue.PendingPods());
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(Queue.PendingPods());
    }

    [Fact]
    public async Task Gated_NotPoppedUntilGatesRemoved()
    {
        var pod = Gated(Make.Pod("p"));
        Queue.Add(pod);

        var pop = Queue.PopAsync(CancellationToken.None);
        Queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.Node, ActionType.Add), null, null);
        _h.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(PendingQueue.Gated, _h.Where(pod));
        Assert.False(pop.IsCompleted);

        // Removing one of two gates keeps it gated.
        var halfOpen = Clone(pod);
        halfOpen.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = "example.com/b" }];
        Queue.Update(pod, halfOpen);
        Assert.Equal(PendingQueue.Gated, _h.Where(pod));

        var open = Clone(halfOpen);
        open.Spec.SchedulingGates = null;
        var opened = _h.Time.GetUtcNow();
        Queue.Update(halfOpen, open);

        var info = await pop;
        Assert.Equal(opened, info.InitialAttemptTimestamp);
        Assert.Null(info.Pod.Spec.SchedulingGates);
    }

    [Fact]
    public async Task Update_InActive_ReplacesAndReorders()
    {
        var a = Make.Pod("a", priority: 10);
        var b = Make.Pod("b", priority: 5);
        Queue.Add(a);
        Queue.Add(b);

        var raised = Clone(b);
        raised.Spec.Priority = 20;
        Queue.Update(b, raised);

        var first = await _h.PopReadyAsync();
        Assert.Equal("default/b", first.Key);
        Assert.Same(raised, first.Pod);
    }

    [Fact]
    public async Task Update_InUnschedulable_StatusOnly_Stays()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.FailAsync(QueueHarness.Fit);

        var statusOnly = Clone(pod);
        statusOnly.Metadata.ResourceVersion = "42";
        statusOnly.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable" }];
        Queue.Update(pod, statusOnly);

        Assert.Equal(PendingQueue.Unschedulable, _h.Where(statusOnly));
        Assert.Same(statusOnly, Queue.PendingPods().Single().Pod);
    }

    [Fact]
    public async Task Update_InUnschedulable_SpecChange_MovesToBackoffThenActive()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.FailAsync(QueueHarness.Fit);

        var relabelled = Clone(pod);
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["app"] = "x" };
        Queue.Update(pod, relabelled);
        Assert.Equal(PendingQueue.Backoff, _h.Where(pod));

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PendingQueue.Active, _h.Where(pod));
    }

    [Fact]
    public async Task Update_InUnschedulable_BackoffOver_MovesToActive()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        await _h.FailAsync(QueueHarness.Fit);
        _h.Time.Advance(TimeSpan.FromSeconds(2));

        var relabelled = Clone(pod);
        relabelled.Metadata.Labels = new Dictionary<string, string> { ["app"] = "x" };
        Queue.Update(pod, relabelled);

        Assert.Equal(PendingQueue.Active, _h.Where(pod));
    }

    [Fact]
    public void Update_UnknownPod_AddsToActive()
    {
        var pod = Make.Pod("p");

        Queue.Update(null, pod);

        Assert.Equal(PendingQueue.Active, _h.Where(pod));
    }

    [Fact]
    public async Task Update_InFlight_NotQueued_AndItsFailureRetried()
    {
        var pod = Make.Pod("p");
        Queue.Add(pod);
        var info = await _h.PopReadyAsync();
        var cycle = Queue.SchedulingCycle;

        var tolerating = Clone(pod);
        tolerating.Spec.Tolerations = [new V1Toleration { Key = "k", OperatorProperty = "Exists" }];
        Queue.Update(pod, tolerating);
        Assert.Null(_h.Where(pod));

        // NodeAffinity registered no pod events, yet the pod's own change may be what it needed.
        info.UnschedulablePlugins.Add(QueueHarness.NodeAffinity);
        Queue.AddUnschedulableIfNotPresent(info, cycle);
        Assert.Equal(PendingQueue.Backoff, _h.Where(pod));
    }

    [Fact]
    public async Task ConcurrentAddsAndPops_EveryPodPoppedOnce()
    {
        const int Pods = 2000;
        var popped = new List<string>();
        var consumer = Task.Run(async () =>
        {
            for (var i = 0; i < Pods; i++)
            {
                var info = await Queue.PopAsync(CancellationToken.None);
                popped.Add(info.Key);
                Queue.Done(info.Uid);
            }
        });

        await Parallel.ForAsync(0, Pods, (i, _) =>
        {
            Queue.Add(Make.Pod($"p{i}", priority: i % 7));
            return ValueTask.CompletedTask;
        });
        await consumer;

        Assert.Equal(Pods, popped.Distinct().Count());
        Assert.Empty(Queue.PendingPods());
    }

    [Fact]
    public async Task TenThousandPods_DeleteHalf_PopRestInOrder()
    {
        var pods = Enumerable.Range(0, 10_000).Select(i => Make.Pod($"p{i}", priority: (i * 7919) % 100)).ToList();
        foreach (var pod in pods)
        {
            Queue.Add(pod);
        }

        foreach (var pod in pods.Where((_, i) => i % 2 == 0))
        {
            Queue.Delete(pod);
        }

        var previous = int.MaxValue;
        for (var i = 0; i < 5_000; i++)
        {
            var info = await _h.PopReadyAsync();
            Assert.True(info.Pod.Spec.Priority <= previous);
            previous = info.Pod.Spec.Priority ?? 0;
        }

        Assert.False(Queue.PopAsync(CancellationToken.None).IsCompleted);
    }

    internal static V1Pod Gated(V1Pod pod)
    {
        pod.Spec.SchedulingGates = [new V1PodSchedulingGate { Name = "example.com/a" }, new V1PodSchedulingGate { Name = "example.com/b" }];
        return pod;
    }

    internal static V1Pod Clone(V1Pod pod) => k8s.KubernetesJson.Deserialize<V1Pod>(k8s.KubernetesJson.Serialize(pod));
}
