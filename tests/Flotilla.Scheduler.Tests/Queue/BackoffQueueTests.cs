using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using Flotilla.Scheduler.Tests.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Scheduler.Tests.Queue;

public sealed class BackoffQueueTests
{
    private readonly FakeTimeProvider _time = new();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(4, 8)]
    [InlineData(5, 10)]
    [InlineData(6, 10)]
    [InlineData(100, 10)]
    public void Duration_DoublesPerAttempt_UpToMax(int attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Queue().Duration(attempts));

    [Fact]
    public void Duration_HugeMax_DoesNotOverflow() =>
        Assert.Equal(TimeSpan.MaxValue, new BackoffQueue(_time, TimeSpan.FromSeconds(1), TimeSpan.MaxValue).Duration(int.MaxValue));

    [Fact]
    public void PopCompleted_EarliestExpiryFirst_OnlyExpired()
    {
        var queue = Queue();
        var now = _time.GetUtcNow();
        queue.Add(Info("four", attempts: 3, now));
        queue.Add(Info("one", attempts: 1, now));
        queue.Add(Info("two", attempts: 2, now));

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(["default/one", "default/two"], queue.PopCompleted().Select(p => p.Key));
        Assert.Equal(1, queue.Count);
    }

    private BackoffQueue Queue() => new(_time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    private static QueuedPodInfo Info(string name, int attempts, DateTimeOffset timestamp) =>
        new(new PodInfo(Make.Pod(name)), timestamp) { Attempts = attempts };
}
