namespace Flotilla.Storage;

/// <summary>
/// A key-value store with etcd v3 semantics. Every backend (SQLite, etcd, memory) passes the same conformance suite.
/// Keys look like <c>/registry/&lt;resource&gt;/&lt;namespace&gt;/&lt;name&gt;</c>. Every successful write gets the next
/// global revision; a write returns only once it is durable. Failures are <see cref="StoreException"/>s.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>The revision of the newest write (0 for an empty store).</summary>
    Task<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default);

    /// <summary>The key as of <paramref name="revision"/> (0 = latest), or null when absent then.</summary>
    Task<KeyValue?> GetAsync(string key, long revision = 0, CancellationToken cancellationToken = default);

    /// <summary>Keys under a prefix in key order, consistent at one revision; pages with <see cref="ListOptions.Limit"/>.</summary>
    Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default);

    /// <summary>Creates the key; fails with <see cref="StoreError.KeyExists"/> when it is present.</summary>
    Task<KeyValue> CreateAsync(string key, byte[] value, long lease = 0, CancellationToken cancellationToken = default);

    /// <summary>Replaces the key's value when its mod revision is still <paramref name="expectedModRevision"/>.</summary>
    Task<KeyValue> UpdateAsync(string key, byte[] value, long expectedModRevision, long lease = 0, CancellationToken cancellationToken = default);

    /// <summary>Deletes the key (guarded when <paramref name="expectedModRevision"/> is not 0) and returns its last value.</summary>
    Task<KeyValue> DeleteAsync(string key, long expectedModRevision = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every change under <paramref name="prefix"/> after <paramref name="fromRevision"/> (0 = from now), in revision
    /// order with the previous value, then live changes until cancelled. Fails with <see cref="StoreError.Compacted"/>
    /// when changes after that revision are no longer kept.
    /// </summary>
    IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default);

    /// <summary>Forgets history before <paramref name="revision"/>: older reads and watches answer Compacted.</summary>
    Task CompactAsync(long revision, CancellationToken cancellationToken = default);

    /// <summary>Grants a lease; keys attached to it are deleted (with watch events) when it expires.</summary>
    Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Revokes a lease now, deleting its keys.</summary>
    Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default);
}
