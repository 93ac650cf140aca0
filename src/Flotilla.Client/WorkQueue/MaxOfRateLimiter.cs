namespace Flotilla.Client.WorkQueue;

/// <summary>The longest delay any of its limiters asks for (client-go's MaxOfRateLimiter).</summary>
public sealed class MaxOfRateLimiter<T>(params IRateLimiter<T>[] limiters) : IRateLimiter<T>
{
    public TimeSpan When(T item) => limiters.Select(l => l.When(item)).DefaultIfEmpty(TimeSpan.Zero).Max();

    public void Forget(T item)
    {
        foreach (var limiter in limiters)
        {
            limiter.Forget(item);
        }
    }

    public int NumRequeues(T item) => limiters.Select(l => l.NumRequeues(item)).DefaultIfEmpty(0).Max();
}
