using System.CommandLine;
using System.Globalization;
using Flotilla.Storage;
using Flotilla.Storage.Etcd;
using Flotilla.Storage.Snapshots;
using Flotilla.Storage.Sqlite;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla etcd snapshot save|restore FILE</c>: backup and restore of the cluster state (k3s' <c>etcd-snapshot</c>).
/// A snapshot is a Flotilla SQLite store file. With the embedded store (the default) saving copies the database
/// while the server runs and restoring replaces it while it is stopped; with <c>--store etcd</c> saving copies the
/// keys of one revision into a new snapshot file and restoring writes them into an etcd that holds no cluster state.
/// </summary>
public static class EtcdCommand
{
    public static Command Create()
    {
        var store = new ServerOptions();
        var file = new Argument<string>("file") { Description = "The snapshot file" };
        var save = new Command("save", "Save the cluster state to a new snapshot file (the server may run)") { file, store.DataDir, store.Store, store.EtcdEndpoints };
        save.SetAction((parsed, cancellationToken) => SaveAsync(parsed.GetValue(file)!, new DataDirectory(parsed.GetValue(store.DataDir)!), parsed.GetValue(store.Store)!, parsed.GetValue(store.EtcdEndpoints) ?? [], cancellationToken));
        var restore = new Command("restore", "Restore the cluster state from a snapshot file (the server stopped; with etcd, into one holding no cluster state)") { file, store.DataDir, store.Store, store.EtcdEndpoints };
        restore.SetAction((parsed, cancellationToken) => RestoreAsync(parsed.GetValue(file)!, new DataDirectory(parsed.GetValue(store.DataDir)!), parsed.GetValue(store.Store)!, parsed.GetValue(store.EtcdEndpoints) ?? [], cancellationToken));
        var snapshot = new Command("snapshot", "Save and restore the cluster state") { save, restore };
        return new Command("etcd", "The cluster's store: snapshots") { snapshot };
    }

    private static async Task<int> SaveAsync(string file, DataDirectory dataDir, string kind, IReadOnlyList<string> endpoints, CancellationToken cancellationToken)
    {
        using (dataDir)
        {
            try
            {
                if (kind == "sqlite")
                {
                    var revision = SqliteSnapshots.Save(dataDir.SqlitePath, file);
                    return await DoneAsync($"snapshot of {dataDir.SqlitePath} at revision {revision} saved to {file} ({new FileInfo(file).Length} bytes)");
                }

                if (File.Exists(file))
                {
                    return await FailAsync($"{file} exists: name a new file");
                }

                // The data dir's own etcd cluster when no endpoints are given.
                endpoints = endpoints.Count > 0 ? endpoints : EtcdCluster.KeptEndpoints(dataDir.EtcdDir);
                if (endpoints.Count == 0)
                {
                    return await FailAsync($"give --etcd-endpoints: {dataDir.Root} has no etcd cluster of its own");
                }

                await using var etcd = await StoreFactory.OpenAsync(kind, dataDir, endpoints, cancellationToken);
                (int Keys, long Revision) copied;
                try
                {
                    await using var target = SqliteStore.Open(new SqliteStoreOptions { Path = file });
                    copied = await StoreCopy.CopyAsync(etcd, target, Progress("saved"), cancellationToken);
                }
                catch
                {
                    // No half-written snapshot left behind.
                    foreach (var part in new[] { file, file + "-wal", file + "-shm" })
                    {
                        File.Delete(part);
                    }

                    throw;
                }

                return await DoneAsync($"snapshot of etcd {string.Join(',', endpoints)} at revision {copied.Revision}: {copied.Keys} keys saved to {file}");
            }
            catch (Exception e) when (e is StoreException or IOException or UnauthorizedAccessException)
            {
                return await FailAsync(e.Message);
            }
        }
    }

    private static async Task<int> RestoreAsync(string file, DataDirectory dataDir, string kind, IReadOnlyList<string> endpoints, CancellationToken cancellationToken)
    {
        using (dataDir)
        {
            try
            {
                // The data dir's server must be stopped: its lock says so.
                dataDir.Lock();
                SqliteSnapshots.Check(file);
                if (kind == "sqlite")
                {
                    var suffix = ".before-restore-" + DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
                    var revision = SqliteSnapshots.Restore(file, dataDir.SqlitePath, suffix);
                    return await DoneAsync($"{dataDir.SqlitePath} restored from {file} (revision {revision}); the replaced store is kept as {dataDir.SqlitePath}{suffix}");
                }

                if (endpoints.Count == 0)
                {
                    return await FailAsync("give --etcd-endpoints: the etcd to restore into, running and holding no cluster state");
                }

                // Read from a copy: opening a store file may write to it.
                var copy = Path.Combine(Path.GetTempPath(), "flotilla-restore-" + Guid.NewGuid().ToString("N")[..12] + ".db");
                File.Copy(file, copy);
                try
                {
                    await using var source = SqliteStore.Open(new SqliteStoreOptions { Path = copy });
                    await using var etcd = await StoreFactory.OpenAsync(kind, dataDir, endpoints, cancellationToken);
                    var (keys, _) = await StoreCopy.CopyAsync(source, etcd, Progress("restored"), cancellationToken);
                    return await DoneAsync($"{keys} keys restored from {file} into etcd {string.Join(',', endpoints)}; start the API servers");
                }
                finally
                {
                    foreach (var part in new[] { copy, copy + "-wal", copy + "-shm" })
                    {
                        File.Delete(part);
                    }
                }
            }
            catch (Exception e) when (e is StoreException or DataDirectoryException or IOException or UnauthorizedAccessException)
            {
                return await FailAsync(e.Message);
            }
        }
    }

    private static Progress<int> Progress(string verb) =>
        new(keys =>
        {
            if (keys > 0 && keys % 5000 < 500)
            {
                Console.Error.WriteLine($"flotilla etcd snapshot: {keys} keys {verb}");
            }
        });

    private static async Task<int> DoneAsync(string message)
    {
        await Console.Out.WriteLineAsync($"flotilla etcd snapshot: {message}");
        return 0;
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"flotilla etcd snapshot: {message}");
        return 1;
    }
}
