using Flotilla.Client;

namespace Flotilla.Controllers.NodeLifecycle;

/// <summary>
/// Nodes waiting to be tainted in one zone (upstream RateLimitedTimedQueue): taken in the order they are due, each
/// only when the zone's token bucket has a token (0.1 per second, burst 1: the first at once, then one every 10 s).
/// A node stays known after it is processed, so it is not queued again until <see cref="Remove"/> forgets it.
/// </summary>
public sealed class RateLimitedTimedQueue
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<Entry> _queue = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private TokenBucket? _bucket;

    public RateLimitedTimedQueue(double perSecond, TimeProvider time)
    {
        _time = time;
        PerSecond = perSecond;
        _bucket = Bucket(perSecond, time.GetUtcNow());
    }

    public double PerSecond { get; private set; }

    /// <summary>Queues a node unless it is known already.</summary>
    public bool Add(string name)
    {
        lock (_gate)
        {
            if (!_known.Add(name))
            {
                return false;
            }

            _queue.Add(new Entry(name, _time.GetUtcNow()));
            return true;
        }
    }

    /// <summary>Forgets a node, queued or processed.</summary>
    public bool Remove(string name)
    {
        lock (_gate)
        {
            _queue.RemoveAll(e => e.Name == name);
            return _known.Remove(name);
        }
    }

    public bool Contains(string name)
    {
        lock (_gate)
        {
            return _known.Contains(name);
        }
    }

    /// <summary>Changes the rate; zero stops the queue. No burst comes free with the change.</summary>
    public void SwapLimiter(double perSecond)
    {
        lock (_gate)
        {
            if (PerSecond.Equals(perSecond))
            {
                return;
            }

            var now = _time.GetUtcNow();
            var hadToken = _bucket?.TryTake(now) ?? false;
            _bucket = Bucket(perSecond, now);
            if (!hadToken)
            {
                _bucket?.TryTake(now);
            }

            PerSecond = perSecond;
        }
    }

    /// <summary>
    /// Processes due nodes while tokens last: <paramref name="process"/> says whether it is done with a node, or how
    /// long to wait before trying it again.
    /// </summary>
    public async Task TryAsync(Func<string, Task<(bool Done, TimeSpan Wait)>> process)
    {
        ArgumentNullException.ThrowIfNull(process);
        while (true)
        {
            Entry head;
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (_queue.Count == 0 || _bucket is null || !_bucket.TryTake(now))
                {
                    return;
                }

                head = _queue.MinBy(e => e.ProcessAt)!;
                if (head.ProcessAt > now)
                {
                    return;  // as upstream: the token is spent even so
                }
            }

            var (done, wait) = await process(head.Name);
            lock (_gate)
            {
                _queue.Remove(head);
                if (!done && _known.Contains(head.Name))
                {
                    _queue.Add(head with { ProcessAt = _time.GetUtcNow() + wait + TimeSpan.FromTicks(1) });
                }
            }
        }
    }

    /// <summary>Burst 1, starting full; none (never a token) for a rate of zero.</summary>
    private static TokenBucket? Bucket(double perSecond, DateTimeOffset now) =>
        perSecond <= 0 ? null : new TokenBucket(1, TimeSpan.FromSeconds(1 / perSecond), now);

    private sealed record Entry(string Name, DateTimeOffset ProcessAt);
}
