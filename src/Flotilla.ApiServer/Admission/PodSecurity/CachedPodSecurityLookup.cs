using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// Namespaces and pods from the watch cache. Upstream reads an informer and, for a namespace it has not seen, the
/// store. Here the namespace is read once the caches have caught up with the store's current revision (as a
/// consistent list is), so a namespace labelled by one request is enforced on the next: read-your-writes, where an
/// informer may briefly lag. The store answers when the caches do not catch up in time or lack the namespace.
/// </summary>
public sealed class CachedPodSecurityLookup(CacheSet caches, ResourceRegistry registry) : IPodSecurityLookup
{
    private static readonly ResourceInfo Namespaces = ResourceCatalog.Default.Find("", "v1", "namespaces")!;
    private static readonly ResourceInfo Pods = ResourceCatalog.Default.Find("", "v1", "pods")!;

    public async Task<V1Namespace?> GetNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        if (await caches.WaitFreshAsync(cancellationToken) && caches.For(Namespaces)?.Get(Namespaces.StorageKey(null, name))?.Object is V1Namespace cached)
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

    /// <summary>The namespace's pods from the cache, once it has caught up (or as it is, if it does not in time).</summary>
    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, CancellationToken cancellationToken)
    {
        await caches.WaitFreshAsync(cancellationToken);
        return [.. (caches.For(Pods)?.List(ns).Objects ?? []).Select(o => o.Object).OfType<V1Pod>()];
    }
}
