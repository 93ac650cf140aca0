using Flotilla.Storage;
using Flotilla.Storage.Sqlite;

namespace Flotilla.Cli;

/// <summary>Opens the store the command line chose; a failure is a <see cref="StoreException"/> naming the cause.</summary>
public static class StoreFactory
{
    public static Task<IStore> OpenAsync(string kind, DataDirectory dataDir, IReadOnlyList<string> etcdEndpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        return kind switch
        {
            "sqlite" => Task.FromResult<IStore>(SqliteStore.Open(new SqliteStoreOptions { Path = dataDir.SqlitePath })),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown store"),
        };
    }
}
