using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace Flotilla.Scheduler.Tests.Queue;

/// <summary>A queue on a fake clock with its flush loop running, its own metrics registry, and upstream-like plugin registrations.</summary>
internal sealed class QueueHarness : IAsyncDisposable
{
    public const string Fit = "NodeResourcesFit";
    public const string NodeAffinity = "NodeAffinity";
    public const string InterPodAffinity = "InterPodAffinity";
    public const string PodTopologySpread = "PodTopologySpread";
    public const string VolumeBinding = "VolumeBinding";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public QueueHarness(SchedulingQueueOptions? options = null)
    {
        Registry = Metrics.NewCustomRegistry();
        Queue = new SchedulingQueue(Time, Events, (options ?? new SchedulingQueueOptions()) with { Metrics = Metrics.WithCustomRegistry(Registry) });
        _run = Queue.RunAsync(_stop.Token);
    }

    /// <summary>What the in-tree plugins register (upstream's EventsToRegister, without queueing hints).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> Events { get; } = new Dictionary<string, IReadOnlyList<ClusterEvent>>
    {
        [Fit] = [new(EventResource.Pod, ActionType.Delete | ActionType.UpdatePodScaleDown), new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeAllocatable)],
        [NodeAffinity] = [new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel)],
        [InterPodAffinity] = [new(EventResource.Pod, ActionType.All), new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeLabel)],
        [PodTopologySpread] = [new(EventResource.Pod, ActionType.All), new(EventResource.Node, ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel)],
        [VolumeBinding] = [new(EventResource.PersistentVolumeClaim, ActionType.Add | ActionType.Update)],
    };

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public CollectorRegistry Registry { get; }

    public SchedulingQueue Queue { get; }

    /// <summary>The sub-queue holding the pod, or null when the queue does not hold it.</summary>
    public PendingQueue? Where(V1Pod pod) =>
        Queue.PendingPods().FirstOrDefault(p => p.Pod.Metadata.Uid == pod.Metadata.Uid)?.Queue;

    /// <summary>Pops a pod that must be active already (a pop that would wait fails the test).</summary>
    public async Task<QueuedPodInfo> PopReadyAsync()
    {
        var pop = Queue.PopAsync(CancellationToken.None);
        Assert.True(pop.IsCompleted, "no pod was active");
        return await pop;
    }

    /// <summary>Pops the pod and hands it back as rejected by <paramref name="plugins"/> (none: failed with an error).</summary>
    public async Task<QueuedPodInfo> FailAsync(params string[] plugins)
    {
        var info = await PopReadyAsync();
        var cycle = Queue.SchedulingCycle;
        info.UnschedulablePlugins.UnionWith(plugins);
        Assert.True(Queue.AddUnschedulableIfNotPresent(info, cycle));
        return info;
    }

    /// <summary>Stops the queue's run loop and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }
}
