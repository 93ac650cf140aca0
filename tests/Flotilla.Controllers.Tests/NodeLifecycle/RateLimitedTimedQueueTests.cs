using Flotilla.Controllers.NodeLifecycle;
using Flotilla.Controllers.Tests.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.NodeLifecycle;

public sealed class RateLimitedTimedQueueTests
{
    private readonly FakeTimeProvider _time = new(Make.Now);
    private readonly List<string> _processed = [];

    private Task TryAsync(RateLimitedTimedQueue queue) => queue.TryAsync(name =>
    {
        _processed.Add(name);
        return Task.FromResult((true, TimeSpan.Zero));
    });

    [Fact]
    public async Task OneNodeAtOnce_ThenOneEveryTenSeconds()
    {
        var queue = new RateLimitedTimedQueue(0.1, _time);
        Assert.True(queue.Add("a"));
        Assert.True(queue.Add("b"));
        Assert.False(queue.Add("a"));

        await TryAsync(queue);
        Assert.Equal(["a"], _processed);

        _time.Advance(TimeSpan.FromSeconds(9));
        await TryAsync(queue);
        Assert.Equal(["a"], _processed);

        _time.Advance(TimeSpan.FromSeconds(1));
        await TryAsync(queue);
        Assert.Equal(["a", "b"], _processed);

        // Processed nodes stay known until removed: not queued again meanwhile.
        Assert.False(queue.Add("a"));
        Assert.True(queue.Remove("a"));
        Assert.True(queue.Add("a"));
    }

    [Fact]
    public async Task ARateOfZero_StopsTheQueue_AndAChangeGivesNoFreeBurst()
    {
        var queue = new RateLimitedTimedQueue(0.1, _time);
        queue.SwapLimiter(0);
        queue.Add("a");
        _time.Advance(TimeSpan.FromMinutes(5));
        await TryAsync(queue);
        Assert.Empty(_processed);

        queue.SwapLimiter(0.1);
        await TryAsync(queue);
        Assert.Empty(_processed);
        _time.Advance(TimeSpan.FromSeconds(10));
        await TryAsync(queue);
        Assert.Equal(["a"], _processed);
    }
}
