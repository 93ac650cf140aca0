using Flotilla.Api.Resources;
using Flotilla.ApiServer.Bootstrap;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage.Memory;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Bootstrap;

public sealed class ClusterDnsServiceTests
{
    [Fact]
    public async Task KubeDns_IsAt10_43_0_10_LabelledAsUpstream_ForTheProxies_AndKeptAsChanged()
    {
        await using var store = new MemoryStore(TimeProvider.System);
        var registry = await RegistryAsync(store);
        var services = registry.Find("", "v1", "services")!;

        await ClusterDnsService.EnsureAsync(registry, CancellationToken.None);
        await LabelAsync(services, ("team", "dns"));
        await ClusterDnsService.EnsureAsync(registry, CancellationToken.None);

        var kept = (V1Service)(await services.GetAsync("kube-system", "kube-dns", CancellationToken.None)).Object;
        Assert.Equal("10.43.0.10", kept.Spec.ClusterIP);
        Assert.Null(kept.Spec.Selector);
        Assert.Equal([("dns", 53, "UDP"), ("dns-tcp", 53, "TCP")], kept.Spec.Ports.Select(p => (p.Name, p.Port, p.Protocol)));
        Assert.Equal("kube-dns", kept.Metadata.Labels["k8s-app"]);
        Assert.Equal("true", kept.Metadata.Labels["kubernetes.io/cluster-service"]);
        Assert.False(kept.Metadata.Labels.ContainsKey("service.kubernetes.io/service-proxy-name"));
        Assert.Equal("dns", kept.Metadata.Labels["team"]);
    }

    [Fact]
    public async Task AnEarlierVersionsService_LosesTheLabelThatHandedItAwayFromTheProxies_AndKeepsTheRest()
    {
        await using var store = new MemoryStore(TimeProvider.System);
        var registry = await RegistryAsync(store);
        var services = registry.Find("", "v1", "services")!;
        await ClusterDnsService.EnsureAsync(registry, CancellationToken.None);
        await LabelAsync(services, ("service.kubernetes.io/service-proxy-name", "flotilla-cluster-dns"), ("team", "dns"));

        await ClusterDnsService.EnsureAsync(registry, CancellationToken.None);

        var kept = (V1Service)(await services.GetAsync("kube-system", "kube-dns", CancellationToken.None)).Object;
        Assert.False(kept.Metadata.Labels.ContainsKey("service.kubernetes.io/service-proxy-name"));
        Assert.Equal("dns", kept.Metadata.Labels["team"]);

        // Another proxy's name is the administrator's choice.
        await LabelAsync(services, ("service.kubernetes.io/service-proxy-name", "other-proxy"));
        await ClusterDnsService.EnsureAsync(registry, CancellationToken.None);
        var other = (V1Service)(await services.GetAsync("kube-system", "kube-dns", CancellationToken.None)).Object;
        Assert.Equal("other-proxy", other.Metadata.Labels["service.kubernetes.io/service-proxy-name"]);
    }

    /// <summary>A registry over <paramref name="store"/> with the kube-system namespace.</summary>
    private static async Task<ResourceRegistry> RegistryAsync(MemoryStore store)
    {
        var registry = new ResourceRegistry(ResourceCatalog.Default, store, TimeProvider.System);
        await registry.Find("", "v1", "namespaces")!.CreateAsync(null, new V1Namespace { Metadata = new V1ObjectMeta { Name = "kube-system" } }, dryRun: false, admission: null, CancellationToken.None);
        return registry;
    }

    /// <summary>Sets labels on kube-dns, as an administrator (or an earlier version) would.</summary>
    private static async Task LabelAsync(ResourceStorage services, params (string Key, string Value)[] labels)
    {
        var service = (V1Service)(await services.GetAsync("kube-system", "kube-dns", CancellationToken.None)).Object;
        foreach (var (key, value) in labels)
        {
            service.Metadata.Labels[key] = value;
        }

        await services.UpdateAsync("kube-system", "kube-dns", services.Strategy, _ => service, dryRun: false, admission: null, CancellationToken.None);
    }
}
