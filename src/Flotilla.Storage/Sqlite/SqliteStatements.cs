using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

/// <summary>The writer connection's prepared statements, reused by every batch.</summary>
internal sealed class SqliteStatements : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _current;
    private readonly SqliteCommand _insertLog;
    private readonly SqliteCommand _upsertKv;
    private readonly SqliteCommand _deleteKv;
    private readonly SqliteCommand _setMeta;
    private readonly List<SqliteCommand> _all = [];

    public SqliteStatements(SqliteConnection connection)
    {
        _connection = connection;
        _current = Prepare("SELECT k.mod_rev, k.create_rev, k.lease, l.value FROM kv k JOIN log l ON l.rev = k.mod_rev WHERE k.key = $key", "$key");
        _insertLog = Prepare(
            "INSERT INTO log(rev, key, deleted, create_rev, prev_rev, lease, value) VALUES ($rev, $key, $deleted, $create, $prev, $lease, $value)",
            "$rev", "$key", "$deleted", "$create", "$prev", "$lease", "$value");
        _upsertKv = Prepare(
            "INSERT INTO kv(key, mod_rev, create_rev, lease) VALUES ($key, $rev, $create, $lease) " +
            "ON CONFLICT(key) DO UPDATE SET mod_rev = excluded.mod_rev, lease = excluded.lease",
            "$key", "$rev", "$create", "$lease");
        _deleteKv = Prepare("DELETE FROM kv WHERE key = $key", "$key");
        _setMeta = Prepare("UPDATE meta SET value = $value WHERE name = $name", "$name", "$value");
    }

    public SqliteTransaction? Transaction
    {
        set
        {
            foreach (var cmd in _all)
            {
                cmd.Transaction = value;
            }
        }
    }

    public KeyValue? Current(string key)
    {
        _current.Parameters[0].Value = key;
        using var r = _current.ExecuteReader();
        return r.Read() ? new KeyValue(key, (byte[])r[3], r.GetInt64(1), r.GetInt64(0), r.GetInt64(2)) : null;
    }

    public void InsertLog(long rev, string key, bool deleted, long createRev, long prevRev, long lease, byte[]? value)
    {
        var p = _insertLog.Parameters;
        p[0].Value = rev;
        p[1].Value = key;
        p[2].Value = deleted ? 1 : 0;
        p[3].Value = createRev;
        p[4].Value = prevRev;
        p[5].Value = lease;
        p[6].Value = (object?)value ?? DBNull.Value;
        _insertLog.ExecuteNonQuery();
    }

    public void UpsertKv(string key, long rev, long createRev, long lease)
    {
        var p = _upsertKv.Parameters;
        p[0].Value = key;
        p[1].Value = rev;
        p[2].Value = createRev;
        p[3].Value = lease;
        _upsertKv.ExecuteNonQuery();
    }

    public void DeleteKv(string key)
    {
        _deleteKv.Parameters[0].Value = key;
        _deleteKv.ExecuteNonQuery();
    }

    public void SetMeta(string name, long value)
    {
        _setMeta.Parameters[0].Value = name;
        _setMeta.Parameters[1].Value = value;
        _setMeta.ExecuteNonQuery();
    }

    /// <summary>Drops every version superseded at or before <paramref name="revision"/>, keeping each key's version current then.</summary>
    public void Compact(long revision)
    {
        Execute(
            "DELETE FROM log WHERE rev <= $rev AND (deleted = 1 OR EXISTS " +
            "(SELECT 1 FROM log newer WHERE newer.key = log.key AND newer.rev > log.rev AND newer.rev <= $rev))",
            ("$rev", revision));
        SetMeta("compact_rev", revision);
    }

    public long InsertLease(TimeSpan ttl, DateTimeOffset expires)
    {
        Execute(
            "INSERT INTO lease(ttl_ms, expires_ms) VALUES ($ttl, $expires)",
            ("$ttl", (long)ttl.TotalMilliseconds),
            ("$expires", expires.ToUnixTimeMilliseconds()));
        using var cmd = Command("SELECT last_insert_rowid()");
        return (long)cmd.ExecuteScalar()!;
    }

    public bool LeaseExists(long lease)
    {
        using var cmd = Command("SELECT 1 FROM lease WHERE id = $id", ("$id", lease));
        return cmd.ExecuteScalar() is not null;
    }

    public void DeleteLease(long lease) => Execute("DELETE FROM lease WHERE id = $id", ("$id", lease));

    public List<string> KeysWithLease(long lease)
    {
        using var cmd = Command("SELECT key FROM kv WHERE lease = $id ORDER BY key", ("$id", lease));
        return ReadColumn(cmd, r => r.GetString(0));
    }

    public List<long> ExpiredLeases(DateTimeOffset now)
    {
        using var cmd = Command("SELECT id FROM lease WHERE expires_ms <= $now ORDER BY id", ("$now", now.ToUnixTimeMilliseconds()));
        return ReadColumn(cmd, r => r.GetInt64(0));
    }

    public void Dispose()
    {
        foreach (var cmd in _all)
        {
            cmd.Dispose();
        }
    }

    private static List<T> ReadColumn<T>(SqliteCommand cmd, Func<SqliteDataReader, T> read)
    {
        var values = new List<T>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            values.Add(read(r));
        }

        return values;
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(sql, parameters);
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = _current.Transaction;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return cmd;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _all.Add(cmd);
        return cmd;
    }
}
