namespace Flotilla.Kubelet.Pods;

/// <summary>
/// The kubelet's container restart back-off (client-go's flowcontrol.Backoff as the kubelet configures it): the
/// first restart is at once, then each waits 10 s, 20 s, 40 s, ... up to 5 min after the container last finished;
/// a container that has not needed a restart for 10 minutes starts again from 10 s. Image pulls back off the same way.
/// </summary>
public sealed class RestartBackOff(TimeSpan initial, TimeSpan max)
{
    public static readonly TimeSpan DefaultInitial = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMax = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (TimeSpan Delay, DateTimeOffset Updated)> _entries = new(StringComparer.Ordinal);

    /// <summary>Whether a restart now, after the container finished at <paramref name="finished"/>, must wait; and how long the back-off is.</summary>
    public (bool Waiting, TimeSpan Delay) Check(string key, DateTimeOffset finished, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) && !Expired(entry.Updated, now) && now - finished < entry.Delay
                ? (true, entry.Delay)
                : (false, entry.Delay);
        }
    }

    /// <summary>
    /// Whether the last <see cref="Restarted"/> (a failed image pull) is less than its back-off ago (upstream
    /// IsInBackOffSinceUpdate), and what is left of the back-off.
    /// </summary>
    public (bool Waiting, TimeSpan Left) InBackOffSinceUpdate(string key, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) && !Expired(entry.Updated, now) && now - entry.Updated < entry.Delay
                ? (true, entry.Delay - (now - entry.Updated))
                : (false, TimeSpan.Zero);
        }
    }

    /// <summary>Records a restart: the next one waits twice as long (up to the maximum).</summary>
    public void Restarted(string key, DateTimeOffset now)
    {
        lock (_gate)
        {
            var delay = _entries.TryGetValue(key, out var entry) && !Expired(entry.Updated, now) ? TimeSpan.FromTicks(Math.Min(entry.Delay.Ticks * 2, max.Ticks)) : initial;
            _entries[key] = (delay, now);
        }
    }

    public void Forget(string prefix)
    {
        lock (_gate)
        {
            foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                _entries.Remove(key);
            }
        }
    }

    private bool Expired(DateTimeOffset updated, DateTimeOffset now) => now - updated > 2 * max;
}
