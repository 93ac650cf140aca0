using Flotilla.Api.Resources;
using Flotilla.ApiServer.Admission.PodSecurity;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Flotilla.Storage.Memory;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

public sealed class CachedPodSecurityLookupTests
{
    private const string Enforce = "pod-security.kubernetes.io/enforce";
    private static readonly ResourceInfo Namespaces = ResourceCatalog.Default.Find("", "v1", "namespaces")!;

    [Fact]
    public async Task GetNamespace_ReadsTheCache_AndTheStoreForANamespaceTheCacheHasNotSeen()
    {
        await using var store = new MemoryStore();
        var registry = new ResourceRegistry(ResourceCatalog.Default, store, TimeProvider.System);
        var caches = new CacheSet(registry, NullLogger<CacheSet>.Instance);
        var lookup = new CachedPodSecurityLookup(caches, registry);
        var storage = registry.Get(Namespaces);
        await caches.StartAsync(CancellationToken.None);
        await storage.CreateAsync(null, new V1Namespace { Metadata = new V1ObjectMeta { Name = "ns", Labels = new Dictionary<string, string> { [Enforce] = "baseline" } } }, false, null, CancellationToken.None);
        Assert.Equal("baseline", (await lookup.GetNamespaceAsync("ns", CancellationToken.None))!.Metadata.Labels[Enforce]);

        // (The cache has the namespace before it is stopped, however slow this machine is.)
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (caches.For(Namespaces)!.Get(Namespaces.StorageKey(null, "ns")) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        // The cache stops following the store, so it keeps the old labels while the store has the new ones that
        // another API server wrote.
        await caches.DisposeAsync();
        var other = new ResourceRegistry(ResourceCatalog.Default, store, TimeProvider.System).Get(Namespaces);
        await other.UpdateAsync(null, "ns", other.Strategy, ns => { ns!.Metadata.Labels[Enforce] = "restricted"; return ns; }, false, null, CancellationToken.None);
        Assert.Equal("baseline", ((V1Namespace)caches.For(Namespaces)!.Get(Namespaces.StorageKey(null, "ns"))!.Object).Metadata.Labels[Enforce]);

        // As upstream's informer: the cache answers (moments behind the store).
        Assert.Equal("baseline", (await lookup.GetNamespaceAsync("ns", CancellationToken.None))!.Metadata.Labels[Enforce]);

        // A namespace the cache has not seen comes from the store.
        await other.CreateAsync(null, new V1Namespace { Metadata = new V1ObjectMeta { Name = "fresh", Labels = new Dictionary<string, string> { [Enforce] = "restricted" } } }, false, null, CancellationToken.None);
        Assert.Equal("restricted", (await lookup.GetNamespaceAsync("fresh", CancellationToken.None))!.Metadata.Labels[Enforce]);
        Assert.Null(await lookup.GetNamespaceAsync("missing", CancellationToken.None));

        // After this server's own write, a read waits for the cache to catch up, and reads the store when it does not.
        await storage.UpdateAsync(null, "ns", storage.Strategy, ns => { ns!.Metadata.Labels[Enforce] = "privileged"; return ns; }, false, null, CancellationToken.None);
        Assert.Equal("privileged", (await lookup.GetNamespaceAsync("ns", CancellationToken.None))!.Metadata.Labels[Enforce]);
    }
}
