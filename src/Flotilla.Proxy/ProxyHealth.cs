using System.Globalization;

namespace Flotilla.Proxy;

/// <summary>
/// kube-proxy's <c>/healthz</c>: healthy unless a change has waited longer than twice the sync period for its rules
/// (the proxy is stuck); the body upstream writes, <c>{"lastUpdated": ..., "currentTime": ..., "nodeEligible": ...}</c>.
/// </summary>
public sealed class ProxyHealth(TimeSpan syncPeriod, TimeProvider time)
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _oldestPending;
    private DateTimeOffset _lastUpdated = time.GetUtcNow();

    /// <summary>A change arrived that the rules do not show yet.</summary>
    public void Queued()
    {
        lock (_lock)
        {
            _oldestPending ??= time.GetUtcNow();
        }
    }

    /// <summary>A sync that started at <paramref name="startedAt"/> wrote the rules: every change queued before then is in.</summary>
    public void Updated(DateTimeOffset startedAt)
    {
        lock (_lock)
        {
            _lastUpdated = time.GetUtcNow();
            if (_oldestPending <= startedAt)
            {
                _oldestPending = null;
            }
        }
    }

    public (bool Healthy, string Body) Check()
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var healthy = _oldestPending is not { } pending || now - pending < 2 * syncPeriod;
            var lastUpdated = healthy ? now : _lastUpdated;
            return (healthy, $"{{\"lastUpdated\": \"{Go(lastUpdated)}\",\"currentTime\": \"{Go(now)}\", \"nodeEligible\": true}}");
        }
    }

    /// <summary>Go's time.String(), as upstream's body quotes it.</summary>
    private static string Go(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff '+0000 UTC'", CultureInfo.InvariantCulture);
}
