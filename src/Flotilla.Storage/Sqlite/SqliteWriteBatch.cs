using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

/// <summary>
/// The writes of one group commit, applied inside one transaction. Each operation checks its preconditions before it
/// writes, so a failed precondition fails only that operation; the batch's events are published after the commit.
/// </summary>
internal sealed class SqliteWriteBatch
{
    private readonly SqliteStatements _sql;
    private readonly List<WatchEvent> _events = [];

    public SqliteWriteBatch(SqliteStatements sql, long revision, long compacted)
    {
        _sql = sql;
        Revision = revision;
        Compacted = compacted;
    }

    /// <summary>The newest revision, including this batch's writes so far.</summary>
    public long Revision { get; private set; }

    public long Compacted { get; private set; }

    public IReadOnlyList<WatchEvent> Events => _events;

    public KeyValue Create(string key, byte[] value, long lease)
    {
        if (_sql.Current(key) is not null)
        {
            throw StoreException.KeyExists(key);
        }

        return Put(key, value, lease, null);
    }

    public KeyValue Update(string key, byte[] value, long expectedModRevision, long lease)
    {
        var prev = _sql.Current(key) ?? throw StoreException.NotFound(key);
        return prev.ModRevision != expectedModRevision
            ? throw StoreException.Conflict(key, expectedModRevision, prev)
            : Put(key, value, lease, prev);
    }

    public KeyValue Delete(string key, long expectedModRevision)
    {
        var prev = _sql.Current(key) ?? throw StoreException.NotFound(key);
        if (expectedModRevision != 0 && prev.ModRevision != expectedModRevision)
        {
            throw StoreException.Conflict(key, expectedModRevision, prev);
        }

        Remove(prev);
        return prev;
    }

    public long Compact(long revision)
    {
        if (revision > Revision)
        {
            throw StoreException.FutureRevision(revision, Revision);
        }

        if (revision <= Compacted)
        {
            throw StoreException.Compacted(revision, Compacted);
        }

        _sql.Compact(revision);
        Compacted = revision;
        return revision;
    }

    public long GrantLease(TimeSpan ttl, DateTimeOffset now) => _sql.InsertLease(ttl, now + ttl);

    public int RevokeLease(long lease)
    {
        if (!_sql.LeaseExists(lease))
        {
            throw StoreException.LeaseNotFound(lease);
        }

        var keys = _sql.KeysWithLease(lease);
        foreach (var key in keys)
        {
            Remove(_sql.Current(key)!);
        }

        _sql.DeleteLease(lease);
        return keys.Count;
    }

    public int ExpireLeases(DateTimeOffset now)
    {
        var expired = _sql.ExpiredLeases(now);
        foreach (var lease in expired)
        {
            RevokeLease(lease);
        }

        return expired.Count;
    }

    private KeyValue Put(string key, byte[] value, long lease, KeyValue? prev)
    {
        if (lease != 0 && !_sql.LeaseExists(lease))
        {
            throw StoreException.LeaseNotFound(lease);
        }

        var rev = ++Revision;
        var kv = new KeyValue(key, value, prev?.CreateRevision ?? rev, rev, lease);
        _sql.InsertLog(rev, key, deleted: false, kv.CreateRevision, prev?.ModRevision ?? 0, lease, value);
        _sql.UpsertKv(key, rev, kv.CreateRevision, lease);
        _events.Add(new WatchEvent(WatchEventType.Put, kv, prev));
        return kv;
    }

    private void Remove(KeyValue prev)
    {
        var rev = ++Revision;
        _sql.InsertLog(rev, prev.Key, deleted: true, prev.CreateRevision, prev.ModRevision, 0, null);
        _sql.DeleteKv(prev.Key);
        _events.Add(new WatchEvent(WatchEventType.Delete, new KeyValue(prev.Key, [], 0, rev), prev));
    }
}
