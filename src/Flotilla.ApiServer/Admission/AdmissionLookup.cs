using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Admission;

/// <summary>
/// What admission plugins read (upstream's listers): lists from the watch cache, and single objects from the cache
/// or, when the cache has not seen them yet (created a moment ago), from the store. Cached objects are shared: a
/// plugin must not change what it reads.
/// </summary>
public sealed class AdmissionLookup(ResourceRegistry registry, CacheSet caches)
{
    private readonly Dictionary<(string Group, string Plural), ResourceInfo> _stored = registry.Catalog.Resources
        .Where(r => r.StoredAs is null)
        .GroupBy(r => (r.Group, r.Plural))
        .ToDictionary(g => g.Key, g => g.First());

    private readonly Auth.CachedObjectReader _reader = new(caches, registry);

    public ResourceRegistry Registry { get; } = registry;

    /// <summary>One object, from the cache or, when the cache has not seen it yet, the store; null when it does not exist.</summary>
    public ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => _reader.GetAsync<T>(ns, name, cancellationToken);

    /// <summary>Every object of the resource in <paramref name="ns"/> (all namespaces when null).</summary>
    public IEnumerable<T> List<T>(string group, string plural, string? ns)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var cache = caches.For(Resource(group, plural)) ?? throw new InvalidOperationException($"no watch cache for {plural}");
        return cache.List(ns).Objects.Select(o => o.Object).OfType<T>();
    }

    private ResourceInfo Resource(string group, string plural) => _stored[(group, plural)];
}
