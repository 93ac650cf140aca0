using System.Diagnostics.CodeAnalysis;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// Pods waiting out their back-off after a failed attempt (upstream backoffQueue), the one whose back-off ends
/// first at the head. The back-off is the initial one doubled per further attempt, capped. Not thread-safe.
/// </summary>
internal sealed class BackoffQueue
{
    private readonly KeyedHeap<QueuedPodInfo> _heap = new(p => p.Key, BackoffOrder.Instance);
    private readonly TimeProvider _time;
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;

    public BackoffQueue(TimeProvider time, TimeSpan initial, TimeSpan max)
    {
        _time = time;
        _initial = initial;
        _max = max;
    }

    public int Count => _heap.Count;

    public IReadOnlyList<QueuedPodInfo> Items => _heap.Items;

    public bool Contains(string key) => _heap.Contains(key);

    public bool TryGet(string key, [MaybeNullWhen(false)] out QueuedPodInfo info) => _heap.TryGet(key, out info);

    public void Remove(string key) => _heap.Remove(key, out _);

    /// <summary>The back-off after <paramref name="attempts"/> attempts.</summary>
    public TimeSpan Duration(int attempts)
    {
        var duration = _initial;
        for (var i = 1; i < attempts; i++)
        {
            // Compared before doubling so it never overflows.
            if (duration > _max - duration)
            {
                return _max;
            }

            duration += duration;
        }

        return duration;
    }

    /// <summary>Whether the back-off since the pod's last attempt (its <see cref="QueuedPodInfo.Timestamp"/>) is still running.</summary>
    public bool IsBackingOff(QueuedPodInfo info) => Expiry(info) > _time.GetUtcNow();

    public void Add(QueuedPodInfo info)
    {
        info.BackoffExpiry = Expiry(info);
        _heap.AddOrUpdate(info);
    }

    /// <summary>Removes and returns the pods whose back-off is over, earliest first.</summary>
    public List<QueuedPodInfo> PopCompleted()
    {
        var now = _time.GetUtcNow();
        var completed = new List<QueuedPodInfo>();
        while (_heap.TryPeek(out var info) && info.BackoffExpiry <= now)
        {
            _heap.TryPop(out _);
            completed.Add(info);
        }

        return completed;
    }

    private DateTimeOffset Expiry(QueuedPodInfo info) => info.Timestamp + Duration(info.Attempts);
}
