namespace Flotilla.Client.WorkQueue;

/// <summary>How long an item waits before it is retried (client-go's workqueue.RateLimiter).</summary>
public interface IRateLimiter<in T>
{
    /// <summary>The delay for this retry of <paramref name="item"/> (each call counts one more failure).</summary>
    TimeSpan When(T item);

    /// <summary>The item succeeded: its failures are forgotten.</summary>
    void Forget(T item);

    /// <summary>How many times the item has been retried since it was last forgotten.</summary>
    int NumRequeues(T item);
}
