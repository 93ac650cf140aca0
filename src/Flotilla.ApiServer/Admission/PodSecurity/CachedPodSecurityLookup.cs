using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity;

/// <summary>
/// Namespaces and pods from the watch cache, as upstream reads them from an informer, and for a namespace the cache
/// has not seen yet, from the store. Reads wait for the cache only after this server wrote the resource (waiting on
/// every pod write cost a third of the pod create rate under load).
/// </summary>
public sealed class CachedPodSecurityLookup(CacheSet caches, ResourceRegistry registry) : IPodSecurityLookup
{
    private static readonly ResourceInfo Pods = ResourceCatalog.Default.Find("", "v1", "pods")!;

    private readonly Auth.CachedObjectReader _reader = new(caches, registry);

    public async Task<V1Namespace?> GetNamespaceAsync(string name, CancellationToken cancellationToken) =>
        await _reader.GetAsync<V1Namespace>(null, name, cancellationToken);

    /// <summary>The namespace's pods from the cache.</summary>
    public async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string ns, CancellationToken cancellationToken)
    {
        await _reader.CatchUpAsync(Pods, cancellationToken);
        return [.. (caches.For(Pods)?.List(ns).Objects ?? []).Select(o => o.Object).OfType<V1Pod>()];
    }
}
