using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Reads from the watch cache, and from the store when the cache does not have the object (yet): as upstream's
/// token getter falls back from its informers' listers to a live read, so a token issued a moment after its service
/// account was created is not refused by a cache that is a few writes behind.
/// </summary>
public sealed class CachedObjectReader(CacheSet caches, ResourceRegistry registry) : IObjectReader
{
    // Looked up once per kind: readers sit on hot paths (every token, every pod create).
    private readonly Dictionary<Type, Flotilla.Api.Resources.ResourceInfo> _byModel = registry.Catalog.Resources
        .Where(r => r.StoredAs is null)
        .GroupBy(r => r.ModelType)
        .ToDictionary(g => g.Key, g => g.First());

    public async ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var resource = _byModel[typeof(T)];
        var key = resource.StorageKey(ns, name);
        if (caches.For(resource)?.Get(key)?.Object is T cached)
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
}
