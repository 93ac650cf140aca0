using Microsoft.Data.Sqlite;

namespace Flotilla.Storage.Sqlite;

/// <summary>
/// Snapshots of the embedded store, the SQLite counterpart of etcd's: <see cref="Save"/> copies the database with
/// <c>VACUUM INTO</c> from a read-only connection (one consistent read transaction, safe while the server writes);
/// <see cref="Check"/> proves a file is a Flotilla store; <see cref="Restore"/> puts one in place of a stopped
/// server's database, keeping the replaced one beside it.
/// </summary>
public static class SqliteSnapshots
{
    /// <summary>How far a restored store's revision jumps past the newer of the snapshot's and the replaced store's.</summary>
    public const long RevisionBump = 1000;

    /// <summary>Writes a copy of the store at <paramref name="database"/> to <paramref name="file"/> (which must not exist) and returns its revision.</summary>
    public static long Save(string database, string file)
    {
        if (!File.Exists(database))
        {
            throw new StoreException(StoreError.NotFound, $"no store at {database}");
        }

        if (File.Exists(file))
        {
            throw new StoreException(StoreError.KeyExists, $"{file} exists: name a new file");
        }

        try
        {
            using var connection = Open(database);
            using (var vacuum = connection.CreateCommand())
            {
                vacuum.CommandText = "VACUUM INTO $file";
                vacuum.Parameters.AddWithValue("$file", Path.GetFullPath(file));
                vacuum.ExecuteNonQuery();
            }

            return Check(file);
        }
        catch (SqliteException e)
        {
            File.Delete(file);
            throw SqliteErrors.Translate(e, database);
        }
    }

    /// <summary>The revision of the Flotilla store in <paramref name="file"/>; a StoreException when it is none or damaged.</summary>
    public static long Check(string file)
    {
        if (!File.Exists(file))
        {
            throw new StoreException(StoreError.NotFound, $"no snapshot at {file}");
        }

        try
        {
            using var connection = Open(file);
            using (var integrity = connection.CreateCommand())
            {
                integrity.CommandText = "PRAGMA integrity_check";
                if (integrity.ExecuteScalar() as string != "ok")
                {
                    throw new StoreException(StoreError.Corrupt, $"{file} is damaged (SQLite integrity check failed)");
                }
            }

            using var tx = connection.BeginTransaction(deferred: true);
            using var tables = connection.CreateCommand();
            tables.Transaction = tx;
            tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'log', 'kv', 'lease')";
            if ((long)tables.ExecuteScalar()! != 4)
            {
                throw new StoreException(StoreError.Corrupt, $"{file} is not a Flotilla snapshot");
            }

            return SqliteSchema.ReadMeta(connection, tx, "current_rev");
        }
        catch (SqliteException e)
        {
            throw new StoreException(StoreError.Corrupt, $"{file} is not a Flotilla snapshot: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Replaces the database at <paramref name="database"/> (its server stopped) with <paramref name="snapshot"/>; the
    /// replaced files are renamed with <paramref name="suffix"/>. Returns the restored revision.
    /// </summary>
    public static long Restore(string snapshot, string database, string suffix)
    {
        var revision = Check(snapshot);
        var replaced = 0L;
        try
        {
            replaced = File.Exists(database) ? Check(database) : 0;
        }
        catch (StoreException)
        {
            // A damaged store is what a restore is for: go on past the snapshot's revision alone.
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database))!);
        var temp = database + ".restoring";
        File.Copy(snapshot, temp, overwrite: true);

        // As etcdutl's --bump-revision with --mark-compacted: the restored store goes on past every revision a client
        // may have seen, with the history before compacted, so watches and lists from old resourceVersions answer 410
        // Gone and clients list afresh instead of missing what the restore changed.
        revision = Math.Max(revision, replaced) + RevisionBump;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(temp), Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString);
            connection.Open();
            using var bump = connection.CreateCommand();
            bump.CommandText = "UPDATE meta SET value = $rev WHERE name IN ('current_rev', 'compact_rev')";
            bump.Parameters.AddWithValue("$rev", revision);
            bump.ExecuteNonQuery();
        }
        catch (SqliteException e)
        {
            File.Delete(temp);
            throw SqliteErrors.Translate(e, temp);
        }

        foreach (var part in new[] { database, database + "-wal", database + "-shm" })
        {
            if (File.Exists(part))
            {
                File.Move(part, part + suffix);
            }
        }

        File.Move(temp, database);
        return revision;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }
}
