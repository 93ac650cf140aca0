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
    private static readonly ResourceInfo Pods = ResourceCatalog.Default.Find("", "v1", "pods")!;

    private readonly Auth.CachedObjectReader _reader = new(caches, registry);

    public async Task<V1Namespace?> GetNamespaceAsync(string name, CancellationToken cancellationToken) =>
        await _reader.GetAsync<V1Namespace>(null, name, cancellationToken);

    /// <summary>The namespace's pods from the cache.</summary>
    public Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<V1Pod>>([.. (caches.For(Pods)?.List(ns).Objects ?? []).Select(o => o.Object).OfType<V1Pod>()]);
}
