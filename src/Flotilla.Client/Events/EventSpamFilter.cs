using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>
/// client-go's EventSourceObjectSpamFilter: one token bucket per source and involved object, so an object that is
/// always unhealthy cannot flood the API with events about it.
/// </summary>
internal sealed class EventSpamFilter(EventCorrelatorOptions options, TimeProvider time)
{
    private readonly LruCache<string, TokenBucket> _buckets = new(options.CacheSize);

    /// <summary>Whether the event is over its source's budget for the object, and so is to be dropped.</summary>
    public bool IsSpam(Corev1Event e)
    {
        var key = EventKeys.Spam(e);
        var now = time.GetUtcNow();
        if (!_buckets.TryGet(key, out var bucket))
        {
            bucket = new TokenBucket(options.SpamBurst, options.SpamRefillInterval, now);
            _buckets.Set(key, bucket);
        }

        return !bucket.TryTake(now);
    }
}
