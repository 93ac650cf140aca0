using System.Runtime.CompilerServices;
using Flotilla.Storage.Watch;
using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode with synchronous=FULL, written by group commit, read from
/// snapshots, watched through an in-memory event log backed by the durable history.
/// </summary>
public sealed class SqliteStore : IStore
{
    private const int HistoryPage = 1000;

    private readonly SqliteStoreOptions _options;
    private readonly SqliteConnection _connection;
    private readonly SqliteReader _reader;
    private readonly EventLog _events;
    private readonly SqliteWriter _writer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _maintenance;

    private SqliteStore(SqliteStoreOptions options, SqliteConnection connection, string readConnectionString, long revision, long compacted)
    {
        _options = options;
        _connection = connection;
        _reader = new SqliteReader(readConnectionString, options.Path);
        _events = new EventLog(options.EventLogCapacity, revision, compacted);
        _writer = new SqliteWriter(connection, _events, revision, compacted, options.MaxBatch);
        _maintenance = Task.Run(() => MaintainAsync(_stopping.Token));
    }

    /// <summary>Opens (or creates) the store file; fails with a <see cref="StoreException"/> naming the cause.</summary>
    public static SqliteStore Open(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(options.Path);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            connection = new SqliteConnection(builder.ConnectionString);
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
                pragmas.ExecuteNonQuery();
            }

            SqliteSchema.Ensure(connection, path);
            long revision, compacted;
            using (var tx = connection.BeginTransaction(deferred: true))
            {
                revision = SqliteSchema.ReadMeta(connection, tx, "current_rev");
                compacted = SqliteSchema.ReadMeta(connection, tx, "compact_rev");
            }

            builder.Pooling = true;
            builder.Mode = SqliteOpenMode.ReadOnly;
            return new SqliteStore(options with { Path = path }, connection, builder.ConnectionString, revision, compacted);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or StoreException)
        {
            connection?.Dispose();
            throw e switch
            {
                SqliteException sqlite => SqliteErrors.Translate(sqlite, path),
                StoreException store => store,
                _ => new StoreException(StoreError.Unavailable, $"cannot open {path}: {e.Message}", inner: e),
            };
        }
    }

    public Task<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_reader.CurrentRevision());

    public Task<KeyValue?> GetAsync(string key, long revision = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Task.FromResult(_reader.Get(key, revision));
    }

    public Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(options);
        return Task.FromResult(_reader.List(prefix, options));
    }

    public Task<KeyValue> CreateAsync(string key, byte[] value, long lease = 0, CancellationToken cancellationToken = default)
    {
        StoreLimits.CheckValue(key, value);
        return _writer.WriteAsync(b => b.Create(key, value, lease));
    }

    public Task<KeyValue> UpdateAsync(string key, byte[] value, long expectedModRevision, long lease = 0, CancellationToken cancellationToken = default)
    {
        StoreLimits.CheckValue(key, value);
        return _writer.WriteAsync(b => b.Update(key, value, expectedModRevision, lease));
    }

    public Task<KeyValue> DeleteAsync(string key, long expectedModRevision = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return _writer.WriteAsync(b => b.Delete(key, expectedModRevision));
    }

    public IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, CancellationToken cancellationToken = default) =>
        _events.WatchAsync(prefix, fromRevision, ReadChangesAsync, cancellationToken);

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(b => b.Compact(revision));

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        return _writer.WriteAsync(b => b.GrantLease(ttl, _options.Time.GetUtcNow()));
    }

    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default) =>
        _writer.WriteAsync(b => b.RevokeLease(lease));

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _maintenance;
        await _writer.DisposeAsync();
        _events.CloseAll();
        try
        {
            // Folds the WAL into the main file so the next open starts clean; the WAL alone is just as durable.
            using var checkpoint = _connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // A full disk or a busy reader: recovery replays the WAL at the next open.
        }
        finally
        {
            _reader.ClearPool();
            await _connection.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async IAsyncEnumerable<WatchEvent> ReadChangesAsync(
        string prefix, long after, long through, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (after < through)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = _reader.Changes(prefix, after, through, HistoryPage);
            foreach (var e in page)
            {
                yield return e;
            }

            // A short page means the range is exhausted (rows outside the prefix are filtered, not counted).
            if (page.Count < HistoryPage)
            {
                break;
            }

            after = page[^1].Revision;
            await Task.Yield();
        }
    }

    /// <summary>Expires leases and compacts history on a timer, as etcd's lessor and kube-apiserver's compactor do.</summary>
    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var time = _options.Time;
        using var timer = new PeriodicTimer(_options.LeaseCheckInterval, time);
        var compactTarget = _reader.CurrentRevision();
        var nextCompaction = time.GetUtcNow() + _options.CompactionInterval;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = time.GetUtcNow();
                try
                {
                    if (_reader.NextLeaseExpiry() is { } expiry && expiry <= now)
                    {
                        await _writer.WriteAsync(b => b.ExpireLeases(now));
                    }

                    if (_options.CompactionInterval > TimeSpan.Zero && now >= nextCompaction)
                    {
                        nextCompaction = now + _options.CompactionInterval;
                        var target = compactTarget;
                        compactTarget = _reader.CurrentRevision();
                        if (target > 0)
                        {
                            await _writer.WriteAsync(b => b.Compact(target));
                        }
                    }
                }
                catch (StoreException)
                {
                    // Already compacted that far, or the disk refused the write: the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closing.
        }
    }
}
