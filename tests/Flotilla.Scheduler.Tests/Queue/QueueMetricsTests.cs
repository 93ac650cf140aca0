using System.Text;
using Flotilla.Scheduler.Queue;
using Flotilla.Scheduler.Tests.Testing;

namespace Flotilla.Scheduler.Tests.Queue;

public sealed class QueueMetricsTests : IAsyncLifetime
{
    private readonly QueueHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task PendingAndIncoming_CountedPerQueueAndEvent()
    {
        _h.Queue.Add(Make.Pod("a"));
        await _h.FailAsync(QueueHarness.Fit);
        _h.Queue.Add(Make.Pod("b"));
        await _h.FailAsync();
        _h.Queue.Add(Make.Pod("c"));
        _h.Queue.Add(SchedulingQueueTests.Gated(Make.Pod("d")));

        var text = await ExportAsync();

        Assert.Contains("scheduler_pending_pods{queue=\"active\"} 1", text);
        Assert.Contains("scheduler_pending_pods{queue=\"backoff\"} 1", text);
        Assert.Contains("scheduler_pending_pods{queue=\"unschedulable\"} 1", text);
        Assert.Contains("scheduler_pending_pods{queue=\"gated\"} 1", text);
        Assert.Contains("scheduler_queue_incoming_pods_total{queue=\"active\",event=\"UnschedulablePodAdd\"} 3", text);
        Assert.Contains("scheduler_queue_incoming_pods_total{queue=\"gated\",event=\"UnschedulablePodAdd\"} 1", text);
        Assert.Contains("scheduler_queue_incoming_pods_total{queue=\"unschedulable\",event=\"ScheduleAttemptFailure\"} 1", text);
        Assert.Contains("scheduler_queue_incoming_pods_total{queue=\"backoff\",event=\"ScheduleAttemptFailure\"} 1", text);

        _h.Time.Advance(TimeSpan.FromSeconds(1));

        text = await ExportAsync();
        Assert.Contains("scheduler_pending_pods{queue=\"active\"} 2", text);
        Assert.Contains("scheduler_pending_pods{queue=\"backoff\"} 0", text);
        Assert.Contains("scheduler_queue_incoming_pods_total{queue=\"active\",event=\"BackoffComplete\"} 1", text);
    }

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _h.Registry.CollectAndExportAsTextAsync(stream, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
