using System.Collections.Concurrent;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Reads from the watch cache, and from the store when the cache does not have the object (yet): as upstream's
/// token getter falls back from its informers' listers to a live read, so a token issued a moment after its service
/// account was created is not refused by a cache that is a few writes behind. After this server has written the
/// resource, a read first waits for the cache to catch up (read-your-writes: a pod created right after its namespace
/// was labelled meets the new labels); reads of resources nobody wrote since never wait. Token checks pass
/// <paramref name="readYourWrites"/> false: they read pods, which are written all the time, on every request.
/// </summary>
public sealed class CachedObjectReader(CacheSet caches, ResourceRegistry registry, bool readYourWrites = true) : IObjectReader
{
    // Looked up once per kind: readers sit on hot paths (every token, every pod create).
    private readonly Dictionary<Type, Flotilla.Api.Resources.ResourceInfo> _byModel = registry.Catalog.Resources
        .Where(r => r.StoredAs is null)
        .GroupBy(r => r.ModelType)
        .ToDictionary(g => g.Key, g => g.First());

    // Per resource: the storage's write count when the caches last caught up with the store.
    private readonly ConcurrentDictionary<Flotilla.Api.Resources.ResourceInfo, long> _caughtUpAt = [];

    public async ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _byModel[typeof(T)];
        var key = resource.StorageKey(ns, name);
        if (await CatchUpAsync(resource, cancellationToken) && caches.For(resource)?.Get(key)?.Object is T cached)
        {
            return cached;
        }

        try
        {
            return (await registry.Get(resource).GetAsync(ns, name, cancellationToken)).Object as T;
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Waits for the caches to apply this server's writes to <paramref name="resource"/>, when there are any they may
    /// not have; false when they did not get there in time (the caller then reads the store).
    /// </summary>
    public async ValueTask<bool> CatchUpAsync(Flotilla.Api.Resources.ResourceInfo resource, CancellationToken cancellationToken)
    {
        var writes = registry.Get(resource).Writes;
        if (!readYourWrites || _caughtUpAt.TryGetValue(resource, out var seen) && seen == writes)
        {
            return true;
        }

        if (!await caches.WaitFreshAsync(cancellationToken))
        {
            return false;
        }

        // Writes made while waiting may be missing still: record the count read before the wait.
        _caughtUpAt.AddOrUpdate(resource, writes, (_, old) => Math.Max(old, writes));
        return true;
    }
}
