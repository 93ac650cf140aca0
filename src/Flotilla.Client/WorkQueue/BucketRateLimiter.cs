namespace Flotilla.Client.WorkQueue;

/// <summary>
/// One token bucket for all items (client-go's BucketRateLimiter over golang.org/x/time/rate; its controller default
/// is 10 per second with a burst of 100): each retry takes a token, and waits for it when the bucket is empty.
/// </summary>
public sealed class BucketRateLimiter<T>(double perSecond, int burst, TimeProvider time) : IRateLimiter<T>
{
    private readonly Lock _gate = new();
    private double _tokens = burst;
    private DateTimeOffset _last = time.GetUtcNow();

    public TimeSpan When(T item)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            _tokens = Math.Min(burst, _tokens + ((now - _last).TotalSeconds * perSecond));
            _last = now;

            // A reservation: the token is taken now, possibly into debt, and the wait is until the debt is paid.
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / perSecond);
        }
    }

    public void Forget(T item)
    {
    }

    public int NumRequeues(T item) => 0;
}
