using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// Namespaces and pods from the watch cache, as upstream reads them from an informer, and for a namespace the cache
/// has not seen yet, from the store. (Waiting for the cache to catch up with the store on every pod write cost a
/// third of the pod create rate under load; the cache trails the store by moments.)
/// </summary>
public sealed class CachedPodSecurityLookup(CacheSet caches, ResourceRegistry registry) : IPodSecurityLookup
{
    private static readonly ResourceInfo Namespaces = ResourceCatalog.Default.Find("", "v1", "namespaces")!;
    private static readonly ResourceInfo Pods = ResourceCatalog.Default.Find("", "v1", "pods")!;

    public async Task<V1Namespace?> GetNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        if (caches.For(Namespaces)?.Get(Namespaces.StorageKey(null, name))?.Object is V1Namespace cached)
        {
            return cached;
        }

        try
        {
            return (await registry.Get(Namespaces).GetAsync(null, name, cancellationToken)).Object as V1Namespace;
        }
        catch (StatusException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>The namespace's pods from the cache.</summary>
    public Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<V1Pod>>([.. (caches.For(Pods)?.List(ns).Objects ?? []).Select(o => o.Object).OfType<V1Pod>()]);
}
