using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

/// <summary>
/// The on-disk layout. <c>log</c> holds every version of every key by revision (the MVCC history, kine-style);
/// <c>kv</c> points each live key at its current version; <c>meta</c> holds the revision counters and the format.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Bumped on any incompatible change; a store written by a newer format is refused, never guessed at.</summary>
    public const long FormatVersion = 1;

    private const string Create = """
        CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE log (
            rev INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            deleted INTEGER NOT NULL,
            create_rev INTEGER NOT NULL,
            prev_rev INTEGER NOT NULL,
            lease INTEGER NOT NULL,
            value BLOB);
        CREATE INDEX log_key_rev ON log(key, rev);
        CREATE TABLE kv (
            key TEXT PRIMARY KEY,
            mod_rev INTEGER NOT NULL,
            create_rev INTEGER NOT NULL,
            lease INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX kv_lease ON kv(lease) WHERE lease <> 0;
        CREATE TABLE lease (id INTEGER PRIMARY KEY AUTOINCREMENT, ttl_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
        INSERT INTO meta(name, value) VALUES ('format', 1), ('current_rev', 0), ('compact_rev', 0);
        """;

    /// <summary>Creates the tables in a new file, or checks that an existing file is a store this build can read.</summary>
    public static void Ensure(SqliteConnection connection, string path)
    {
        using var tx = connection.BeginTransaction();
        using var check = connection.CreateCommand();
        check.Transaction = tx;
        check.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
        var tables = (long)check.ExecuteScalar()!;
        if (tables == 0)
        {
            using var create = connection.CreateCommand();
            create.Transaction = tx;
            create.CommandText = Create;
            create.ExecuteNonQuery();
            tx.Commit();
            return;
        }

        check.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'log', 'kv', 'lease')";
        if ((long)check.ExecuteScalar()! != 4)
        {
            throw new StoreException(StoreError.Corrupt, $"{path} is a SQLite database but not a Flotilla store");
        }

        var format = ReadMeta(connection, tx, "format");
        if (format > FormatVersion)
        {
            throw new StoreException(
                StoreError.Corrupt,
                $"{path} was written by a newer Flotilla (store format {format}; this build reads format {FormatVersion})");
        }

        tx.Commit();
    }

    public static long ReadMeta(SqliteConnection connection, SqliteTransaction tx, string name)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT value FROM meta WHERE name = $name";
        cmd.Parameters.AddWithValue("$name", name);
        return cmd.ExecuteScalar() is long value
            ? value
            : throw new StoreException(StoreError.Corrupt, $"store metadata '{name}' is missing");
    }
}
