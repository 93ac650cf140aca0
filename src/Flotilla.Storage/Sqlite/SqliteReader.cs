using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

/// <summary>Reads, each in its own snapshot (a WAL read transaction on a pooled connection), so they never wait for the writer.</summary>
internal sealed class SqliteReader(string connectionString, string path)
{
    private const string LatestRange = """
        SELECT k.key, l.value, k.create_rev, k.mod_rev, k.lease FROM kv k JOIN log l ON l.rev = k.mod_rev
        WHERE k.key >= $start AND k.key < $end ORDER BY k.key LIMIT $limit
        """;

    // The version of each key current at $at: its newest log row at or before $at, unless that row is a deletion.
    private const string RangeAt = """
        SELECT l.key, l.value, l.create_rev, l.rev, l.lease FROM log l
        WHERE l.key >= $start AND l.key < $end AND l.rev <= $at AND l.deleted = 0
          AND l.rev = (SELECT MAX(h.rev) FROM log h WHERE h.key = l.key AND h.rev <= $at)
        ORDER BY l.key LIMIT $limit
        """;

    private const string ChangesSql = """
        SELECT l.rev, l.key, l.deleted, l.create_rev, l.lease, l.value, p.rev, p.create_rev, p.lease, p.value
        FROM log l LEFT JOIN log p ON p.rev = l.prev_rev
        WHERE l.rev > $after AND l.rev <= $through AND l.key >= $start AND l.key < $end
        ORDER BY l.rev LIMIT $limit
        """;

    public long CurrentRevision() => Read(s => s.Current);

    public KeyValue? Get(string key, long revision) => Read(s =>
    {
        var at = s.Check(revision);
        var rows = s.Query(
            at == s.Current ? LatestRange : RangeAt,
            ("$start", key), ("$end", key + "\0"), ("$at", at), ("$limit", 1));
        return rows.Count == 1 ? rows[0] : null;
    });

    public ListResult List(string prefix, ListOptions options) => Read(s =>
    {
        var at = s.Check(options.Revision);
        var start = options.StartKey is { } k && string.CompareOrdinal(k, prefix) > 0 ? k : prefix;
        var rows = s.Query(
            at == s.Current ? LatestRange : RangeAt,
            ("$start", start), ("$end", KeyRange.PrefixEnd(prefix)), ("$at", at), ("$limit", options.Limit > 0 ? options.Limit + 1 : -1));
        string? next = null;
        if (options.Limit > 0 && rows.Count > options.Limit)
        {
            next = rows[^1].Key;
            rows.RemoveAt(rows.Count - 1);
        }

        return new ListResult(rows, at, next);
    });

    /// <summary>Up to <paramref name="limit"/> durable changes under the prefix in (after, through], oldest first.</summary>
    public List<WatchEvent> Changes(string prefix, long after, long through, int limit) => Read(s =>
    {
        if (after < s.Compacted)
        {
            throw StoreException.Compacted(after, s.Compacted);
        }

        using var cmd = s.Command(
            ChangesSql,
            ("$after", after), ("$through", through), ("$start", prefix), ("$end", KeyRange.PrefixEnd(prefix)), ("$limit", limit));
        using var r = cmd.ExecuteReader();
        var events = new List<WatchEvent>();
        while (r.Read())
        {
            var rev = r.GetInt64(0);
            var key = r.GetString(1);
            var prev = r.IsDBNull(6) ? null : new KeyValue(key, (byte[])r[9], r.GetInt64(7), r.GetInt64(6), r.GetInt64(8));
            events.Add(r.GetInt64(2) == 1
                ? new WatchEvent(WatchEventType.Delete, new KeyValue(key, [], 0, rev), prev)
                : new WatchEvent(WatchEventType.Put, new KeyValue(key, (byte[])r[5], r.GetInt64(3), rev, r.GetInt64(4)), prev));
        }

        return events;
    });

    /// <summary>Closes the pooled read connections (their file handles).</summary>
    public void ClearPool()
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public DateTimeOffset? NextLeaseExpiry() => Read(s =>
    {
        using var cmd = s.Command("SELECT MIN(expires_ms) FROM lease");
        return cmd.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
    });

    private T Read<T>(Func<Snapshot, T> read)
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var tx = connection.BeginTransaction(deferred: true);
            var snapshot = new Snapshot(
                connection,
                tx,
                SqliteSchema.ReadMeta(connection, tx, "current_rev"),
                SqliteSchema.ReadMeta(connection, tx, "compact_rev"));
            return read(snapshot);
        }
        catch (SqliteException e)
        {
            throw SqliteErrors.Translate(e, path);
        }
    }

    private sealed record Snapshot(SqliteConnection Connection, SqliteTransaction Tx, long Current, long Compacted)
    {
        public long Check(long revision) => Revisions.Resolve(revision, Current, Compacted);

        public SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
        {
            var cmd = Connection.CreateCommand();
            cmd.Transaction = Tx;
            cmd.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                cmd.Parameters.AddWithValue(name, value);
            }

            return cmd;
        }

        public List<KeyValue> Query(string sql, params (string Name, object Value)[] parameters)
        {
            using var cmd = Command(sql, parameters);
            using var r = cmd.ExecuteReader();
            var items = new List<KeyValue>();
            while (r.Read())
            {
                items.Add(new KeyValue(r.GetString(0), (byte[])r[1], r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
            }

            return items;
        }
    }
}
