using Flotilla.Client.WorkQueue;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Client.Tests.WorkQueue;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private WorkQueue<string> Queue() => new("test", _time);

    private static async Task<string> NextAsync(WorkQueue<string> queue)
    {
        var (item, shutdown) = await queue.GetAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
        Assert.False(shutdown);
        return item;
    }

    [Fact]
    public async Task AnItemAddedTwiceWhileQueued_IsHandedOutOnce_InOrderOfFirstAdd()
    {
        using var queue = Queue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await NextAsync(queue));
        Assert.Equal("b", await NextAsync(queue));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task AnItemAddedWhileProcessed_IsNotHandedToASecondWorker_ButQueuedAgainWhenDone()
    {
        using var queue = Queue();
        queue.Add("a");
        Assert.Equal("a", await NextAsync(queue));
        queue.Add("a");
        Assert.Equal(0, queue.Count);
        var second = queue.GetAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        queue.Done("a");
        Assert.Equal(("a", false), await second.WaitAsync(TimeSpan.FromSeconds(5)));
        queue.Done("a");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task AddAfter_WaitsForTheDelay_AndAnEarlierDelayWins()
    {
        using var queue = Queue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, queue.Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal("a", await NextAsync(queue));
        queue.Done("a");
        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void RateLimitedRetries_BackOffExponentially_UntilForgotten()
    {
        using var queue = new WorkQueue<string>("test", _time, new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1)));
        var delays = new List<TimeSpan>();
        var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1));
        for (var i = 0; i < 10; i++)
        {
            delays.Add(limiter.When("a"));
        }

        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000], delays.Select(d => (int)d.TotalMilliseconds));
        Assert.Equal(10, limiter.NumRequeues("a"));
        limiter.Forget("a");
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("a"));

        queue.AddRateLimited("b");
        Assert.Equal(0, queue.Count);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, queue.Count);
        Assert.Equal(1, queue.NumRequeues("b"));
    }

    [Fact]
    public void Bucket_AllowsTheBurst_ThenSpacesRetriesAtItsRate()
    {
        var bucket = new BucketRateLimiter<string>(10, 100, _time);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.When($"k{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.When("y"));
        _time.Advance(TimeSpan.FromSeconds(1));  // 10 tokens back: the debt of 2 paid, 8 left
        Assert.Equal(TimeSpan.Zero, bucket.When("z"));
    }

    [Fact]
    public async Task ShutDown_HandsOutWhatIsQueued_ThenReportsShutdown_AndWakesWaitingWorkers()
    {
        using var queue = Queue();
        var idle = queue.GetAsync(CancellationToken.None);
        queue.Add("a");
        Assert.Equal(("a", false), await idle.WaitAsync(TimeSpan.FromSeconds(5)));
        queue.Add("b");
        var waiting = Task.Run(async () =>
        {
            await NextAsync(queue);
            return await queue.GetAsync(CancellationToken.None);
        });
        await Task.Delay(50);
        queue.ShutDown();
        Assert.True((await waiting.WaitAsync(TimeSpan.FromSeconds(5))).Shutdown);
        queue.Add("c");
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task ACancelledWorker_DoesNotSwallowTheNextItem()
    {
        using var queue = Queue();
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.GetAsync(cancel.Token);
        var other = queue.GetAsync(CancellationToken.None);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        queue.Add("a");
        Assert.Equal(("a", false), await other.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ManyWorkers_NeverProcessOneKeyTwiceAtOnce()
    {
        using var queue = Queue();
        var active = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (item, shutdown) = await queue.GetAsync(stop.Token);
                if (shutdown)
                {
                    return;
                }

                if (active.AddOrUpdate(item, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                active.AddOrUpdate(item, 0, (_, n) => n - 1);
                Interlocked.Increment(ref processed);
                queue.Done(item);
            }
        })).ToList();

        for (var i = 0; i < 5000; i++)
        {
            queue.Add($"k{i % 7}");
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (queue.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, overlaps);
        Assert.InRange(processed, 7, 5000);
    }
}
