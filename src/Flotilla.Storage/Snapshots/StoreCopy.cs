namespace Flotilla.Storage.Snapshots;

/// <summary>
/// Copies the cluster state (the keys under <c>/registry/</c>, as of one revision) from one store into another that
/// holds none: an etcd's state into a snapshot file (a SQLite store), or a snapshot into a fresh etcd. Values are
/// copied as stored (Secrets stay encrypted: the data dir's encryption keys must come along). Events and the API
/// servers' master leases are left out: they expire, and the copy keeps no leases.
/// </summary>
public static class StoreCopy
{
    public const string Root = "/registry/";

    private const int PageSize = 500;

    private static readonly string[] Skipped = ["/registry/events/", "/registry/masterleases/"];

    /// <summary>Copies and returns how many keys were copied and at which source revision.</summary>
    public static async Task<(int Keys, long Revision)> CopyAsync(IStore from, IStore to, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!await IsEmptyAsync(to, cancellationToken))
        {
            throw new StoreException(StoreError.KeyExists, $"the target already holds cluster state under {Root}: copy into an empty store");
        }

        var revision = 0L;
        var copied = 0;
        string? start = null;
        do
        {
            var page = await from.ListAsync(Root, new ListOptions(revision, PageSize, start), cancellationToken);
            revision = page.Revision;
            foreach (var kv in page.Items.Where(kv => !Skipped.Any(s => kv.Key.StartsWith(s, StringComparison.Ordinal))))
            {
                await to.CreateAsync(kv.Key, kv.Value, cancellationToken: cancellationToken);
                copied++;
            }

            progress?.Report(copied);
            start = page.NextKey;
        }
        while (start is not null);

        return (copied, revision);
    }

    private static async Task<bool> IsEmptyAsync(IStore store, CancellationToken cancellationToken)
    {
        return (await store.ListAsync(Root, new ListOptions(Limit: 1), cancellationToken)).Items.Count == 0;
    }
}
