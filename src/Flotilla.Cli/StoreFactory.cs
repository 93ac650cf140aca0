using Flotilla.Storage;
using Flotilla.Storage.Etcd;
using Flotilla.Storage.Sqlite;

namespace Flotilla.Cli;

/// <summary>Opens the store the command line chose; a failure is a <see cref="StoreException"/> naming the cause.</summary>
public static class StoreFactory
{
    public static async Task<IStore> OpenAsync(string kind, DataDirectory dataDir, IReadOnlyList<string> etcdEndpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        switch (kind)
        {
            case "sqlite":
                return SqliteStore.Open(new SqliteStoreOptions { Path = dataDir.SqlitePath });
            case "etcd":
                var etcd = new EtcdStore(new EtcdStoreOptions { Endpoints = etcdEndpoints });
                try
                {
                    // Fail at start, not on the first request, when etcd cannot be reached.
                    await etcd.GetCurrentRevisionAsync(cancellationToken);
                    return etcd;
                }
                catch
                {
                    await etcd.DisposeAsync();
                    throw;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown store");
        }
    }
}
