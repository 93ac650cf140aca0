using Flotilla.Storage;

namespace Flotilla.ApiServer.Registry.Core;

/// <summary>
/// Events expire after an hour (kube-apiserver's --event-ttl). As upstream's lease manager, events created within a
/// minute share one store lease, so a burst of events costs one lease, not thousands.
/// </summary>
public sealed class EventTtl(IStore store, TimeProvider time) : IObjectTtl
{
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(1);
    private static readonly TimeSpan Reuse = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lease;
    private DateTimeOffset _grantedAt;

    public async Task<long> LeaseAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (_lease == 0 || now - _grantedAt >= Reuse)
            {
                // The reuse window is added so an event attached late in the window still lives a full hour.
                _lease = await store.GrantLeaseAsync(Ttl + Reuse, cancellationToken);
                _grantedAt = now;
            }

            return _lease;
        }
        finally
        {
            _gate.Release();
        }
    }
}
