namespace Flotilla.Client.WorkQueue;

public static class RateLimiters
{
    /// <summary>
    /// client-go's DefaultControllerRateLimiter: exponential per item from 5 ms to 1,000 s, and 10 retries per second
    /// overall with a burst of 100.
    /// </summary>
    public static IRateLimiter<T> ControllerDefault<T>(TimeProvider time)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ExponentialFailureRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<T>(10, 100, time));
}
