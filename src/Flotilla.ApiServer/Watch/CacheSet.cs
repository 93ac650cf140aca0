using System.Globalization;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Watch;

/// <summary>
/// The watch caches of every resource, fed by one store watch on <c>/registry/</c>: list everything at one revision,
/// then apply every change in revision order. Because every write is under <c>/registry/</c>, the revision this
/// watch has reached tells how fresh all caches are, so a consistent list can wait for it.
/// </summary>
public sealed partial class CacheSet : IAsyncDisposable
{
    private const string Root = "/registry/";
    private static readonly TimeSpan FreshnessWait = TimeSpan.FromSeconds(3);
    private readonly ResourceRegistry _registry;
    private readonly ILogger _log;
    private readonly Dictionary<string, (ResourceStorage Storage, WatchCache Cache)> _byPrefix = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<(long Revision, TaskCompletionSource Done)> _waiters = [];
    private Task? _loop;
    private long _revision;

    public CacheSet(ResourceRegistry registry, ILogger<CacheSet> log, int capacityPerResource = 10_000)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        _log = log;
        // One cache per storage version; other versions of a kind (StoredAs) are read from the store and converted.
        foreach (var resource in registry.Catalog.Resources.Where(r => r.StoredAs is null))
        {
            _byPrefix[resource.StoragePrefix] = (registry.Get(resource), new WatchCache(resource, capacityPerResource));
        }

        var namespaces = For(registry.Catalog.Find("", "v1", "namespaces")!)!;
        registry.Namespaces.UseCache(key => namespaces.Get(key)?.Object as V1Namespace);
    }

    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>The resource's cache; null for a version other than its kind's storage version.</summary>
    public WatchCache? For(Flotilla.Api.Resources.ResourceInfo resource) =>
        resource.StoredAs is null ? _byPrefix[resource.StoragePrefix].Cache : null;

    /// <summary>Fills every cache from the store and starts following it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var revision = await FillAsync(cancellationToken);
        // Called directly, not through Task.Run: the watch is registered before this returns. On an empty store the
        // revision is 0, which a watch reads as "from now", so a write made before registration would be lost.
        _loop = FollowAsync(revision, _stopping.Token);
    }

    /// <summary>
    /// Waits until the caches have applied every write up to the store's current revision (a consistent read).
    /// False when they did not get there in time; the caller then reads the store.
    /// </summary>
    public async Task<bool> WaitFreshAsync(CancellationToken cancellationToken) =>
        await WaitForAsync(await _registry.Store.GetCurrentRevisionAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Waits until the caches have applied <paramref name="target"/> (a client's resourceVersion, perhaps from another
    /// server); false when they did not get there within <see cref="FreshnessWait"/>.
    /// </summary>
    public async Task<bool> WaitForAsync(long target, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_revision >= target)
            {
                return true;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, done));
        }

        if (await Task.WhenAny(done.Task, Task.Delay(FreshnessWait, cancellationToken)) == done.Task)
        {
            return true;
        }

        // A revision that may never come (a client's from before a restore) leaves no waiter behind.
        lock (_gate)
        {
            _waiters.RemoveAll(w => w.Done == done);
        }

        return done.Task.IsCompleted;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private async Task<long> FillAsync(CancellationToken cancellationToken)
    {
        var revision = await _registry.Store.GetCurrentRevisionAsync(cancellationToken);
        foreach (var (prefix, (storage, cache)) in _byPrefix)
        {
            var objects = new List<CachedObject>();
            string? start = null;
            while (true)
            {
                var page = await _registry.Store.ListAsync(prefix, new ListOptions(revision, 5000, start), cancellationToken);
                objects.AddRange(page.Items.Select(kv => ToCached(storage, kv)));
                if (!page.HasMore)
                {
                    break;
                }

                start = page.NextKey;
            }

            cache.Reset(objects, revision);
        }

        Advance(revision);
        return revision;
    }

    private async Task FollowAsync(long revision, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await foreach (var e in _registry.Store.WatchAsync(Root, revision, cancellationToken))
                    {
                        Dispatch(e);
                        revision = e.Revision;
                        Advance(revision);
                    }

                    return;
                }
                catch (StoreException e)
                {
                    // Fell behind the store's history or lost the store: rebuild from a fresh list once it answers
                    // (open watches end with 410 and their clients list again, as with upstream's cache).
                    LogRelist(_log, e.Message);
                    revision = await RefillAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<long> RefillAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            await Task.Delay(backoff, cancellationToken);
            try
            {
                return await FillAsync(cancellationToken);
            }
            catch (StoreException e)
            {
                LogRelist(_log, e.Message);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private void Dispatch(WatchEvent e)
    {
        var slash = e.Kv.Key.IndexOf('/', Root.Length);
        var groupEnd = e.Kv.Key.IndexOf('/', slash + 1);
        if (slash < 0 || !(_byPrefix.TryGetValue(e.Kv.Key[..(slash + 1)], out var entry) || (groupEnd > 0 && _byPrefix.TryGetValue(e.Kv.Key[..(groupEnd + 1)], out entry))))
        {
            return;
        }

        // The cache already holds the previous version decoded; only this dispatcher writes the caches.
        var previous = entry.Cache.Get(e.Kv.Key);
        if (e.Type == WatchEventType.Delete)
        {
            if (previous is null || e.PrevKv is null)
            {
                return;
            }

            var storage = entry.Storage;
            var last = e.PrevKv!;
            var deleted = new CachedObject(e.Kv.Key, storage.ServedJson(last, e.Revision), e.Revision, () =>
            {
                var obj = storage.Decode(last).Object;
                obj.Metadata.ResourceVersion = e.Revision.ToString(CultureInfo.InvariantCulture);
                return obj;
            });
            entry.Cache.Apply(new CachedChange(ChangeType.Deleted, deleted, previous));
        }
        else
        {
            entry.Cache.Apply(new CachedChange(previous is null ? ChangeType.Added : ChangeType.Modified, ToCached(entry.Storage, e.Kv), previous));
        }
    }

    private static CachedObject ToCached(ResourceStorage storage, KeyValue kv) =>
        new(kv.Key, storage.ServedJson(kv), kv.ModRevision, () => storage.Decode(kv).Object);

    private void Advance(long revision)
    {
        lock (_gate)
        {
            _revision = Math.Max(_revision, revision);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Revision <= _revision)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "watch cache: relisting from the store: {Reason}")]
    private static partial void LogRelist(ILogger logger, string reason);
}
