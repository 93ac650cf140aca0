using Flotilla.Storage.Watch;

namespace Flotilla.Storage.Memory;

/// <summary>An in-memory store with full etcd semantics, for unit tests. Nothing is durable.</summary>
public sealed class MemoryStore : IStore
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly SortedDictionary<string, List<Version>> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (DateTimeOffset Expires, HashSet<string> Keys)> _leases = [];
    private readonly EventLog _events = new(int.MaxValue, 0, 0);
    private readonly ITimer _leaseTimer;
    private long _revision;
    private long _compacted;
    private long _nextLease;

    public MemoryStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _leaseTimer = _time.CreateTimer(_ => ExpireLeases(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public Task<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_revision);
        }
    }

    public Task<KeyValue?> GetAsync(string key, long revision = 0, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var at = Revisions.Resolve(revision, _revision, _compacted);
            return Task.FromResult(_versions.TryGetValue(key, out var versions) ? VersionAt(versions, at) : null);
        }
    }

    public Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        lock (_gate)
        {
            var at = Revisions.Resolve(options.Revision, _revision, _compacted);
            var start = options.StartKey is { } s && string.CompareOrdinal(s, prefix) > 0 ? s : prefix;
            var items = new List<KeyValue>();
            string? next = null;
            foreach (var (key, versions) in _versions)
            {
                if (string.CompareOrdinal(key, start) < 0 || !KeyRange.Matches(key, prefix))
                {
                    continue;
                }

                if (VersionAt(versions, at) is not { } kv)
                {
                    continue;
                }

                if (options.Limit > 0 && items.Count == options.Limit)
                {
                    next = key;
                    break;
                }

                items.Add(kv);
            }

            return Task.FromResult(new ListResult(items, at, next));
        }
    }

    public Task<KeyValue> CreateAsync(string key, byte[] value, long lease = 0, CancellationToken cancellationToken = default)
    {
        StoreLimits.CheckValue(key, value);
        lock (_gate)
        {
            if (Latest(key) is not null)
            {
                throw StoreException.KeyExists(key);
            }

            return Task.FromResult(Put(key, value, lease, prev: null));
        }
    }

    public Task<KeyValue> UpdateAsync(string key, byte[] value, long expectedModRevision, long lease = 0, CancellationToken cancellationToken = default)
    {
        StoreLimits.CheckValue(key, value);
        lock (_gate)
        {
            var prev = Latest(key) ?? throw StoreException.NotFound(key);
            if (prev.ModRevision != expectedModRevision)
            {
                throw StoreException.Conflict(key, expectedModRevision, prev);
            }

            return Task.FromResult(Put(key, value, lease, prev));
        }
    }

    public Task<KeyValue> DeleteAsync(string key, long expectedModRevision = 0, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var prev = Latest(key) ?? throw StoreException.NotFound(key);
            if (expectedModRevision != 0 && prev.ModRevision != expectedModRevision)
            {
                throw StoreException.Conflict(key, expectedModRevision, prev);
            }

            Remove(prev);
            return Task.FromResult(prev);
        }
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        _events.WatchAsync(prefix, fromRevision, null, cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (revision > _revision)
            {
                throw StoreException.FutureRevision(revision, _revision);
            }

            if (revision <= _compacted)
            {
                throw StoreException.Compacted(revision, _compacted);
            }

            _compacted = revision;
            foreach (var versions in _versions.Values)
            {
                // Keep the version current at the compaction revision and everything after it.
                var keepFrom = versions.FindLastIndex(v => v.Revision <= revision);
                if (keepFrom > 0)
                {
                    versions.RemoveRange(0, keepFrom);
                }
            }

            _events.MarkCompacted(revision);
            return Task.CompletedTask;
        }
    }

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var id = ++_nextLease;
            _leases[id] = (_time.GetUtcNow() + ttl, []);
            return Task.FromResult(id);
        }
    }

    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_leases.Remove(lease, out var entry))
            {
                throw StoreException.LeaseNotFound(lease);
            }

            foreach (var key in entry.Keys.Order(StringComparer.Ordinal))
            {
                if (Latest(key) is { } kv && kv.Lease == lease)
                {
                    Remove(kv);
                }
            }

            return Task.CompletedTask;
        }
    }

    public ValueTask DisposeAsync()
    {
        _leaseTimer.Dispose();
        _events.CloseAll();
        return ValueTask.CompletedTask;
    }

    private void ExpireLeases()
    {
        long[] expired;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            expired = [.. _leases.Where(l => l.Value.Expires <= now).Select(l => l.Key)];
        }

        foreach (var lease in expired)
        {
            try
            {
                RevokeLeaseAsync(lease).GetAwaiter().GetResult();
            }
            catch (StoreException e) when (e.Error == StoreError.LeaseNotFound)
            {
                // Revoked meanwhile.
            }
        }
    }

    private KeyValue Put(string key, byte[] value, long lease, KeyValue? prev)
    {
        if (lease != 0 && !_leases.ContainsKey(lease))
        {
            throw StoreException.LeaseNotFound(lease);
        }

        var rev = ++_revision;
        var kv = new KeyValue(key, [.. value], prev?.CreateRevision ?? rev, rev, lease);
        if (!_versions.TryGetValue(key, out var versions))
        {
            _versions[key] = versions = [];
        }

        versions.Add(new Version(rev, kv));
        if (lease != 0)
        {
            _leases[lease].Keys.Add(key);
        }

        _events.Publish([new WatchEvent(WatchEventType.Put, kv, prev)]);
        return kv;
    }

    private void Remove(KeyValue prev)
    {
        var rev = ++_revision;
        _versions[prev.Key].Add(new Version(rev, null));
        _events.Publish([new WatchEvent(WatchEventType.Delete, new KeyValue(prev.Key, [], 0, rev), prev)]);
    }

    private KeyValue? Latest(string key) =>
        _versions.TryGetValue(key, out var versions) ? versions[^1].Kv : null;

    private static KeyValue? VersionAt(List<Version> versions, long revision)
    {
        for (var i = versions.Count - 1; i >= 0; i--)
        {
            if (versions[i].Revision <= revision)
            {
                return versions[i].Kv;
            }
        }

        return null;
    }

    /// <summary>A key's value from <see cref="Revision"/> on; null once deleted.</summary>
    private readonly record struct Version(long Revision, KeyValue? Kv);
}
