namespace Flotilla.Client.WorkQueue;

/// <summary>
/// Per item: <c>baseDelay × 2^failures</c>, capped at <c>maxDelay</c> (client-go's ItemExponentialFailureRateLimiter;
/// its controller default is 5 ms to 1,000 s).
/// </summary>
public sealed class ExponentialFailureRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<T, int> _failures = [];

    public TimeSpan When(T item)
    {
        int failures;
        lock (_gate)
        {
            failures = _failures.GetValueOrDefault(item);
            _failures[item] = failures + 1;
        }

        // Past 2^62 the product overflows; anything that large is the cap anyway.
        var ticks = failures >= 62 ? double.MaxValue : baseDelay.Ticks * Math.Pow(2, failures);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }

    public void Forget(T item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
