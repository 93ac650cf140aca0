using System.Net;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage.Memory;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Tests.Bootstrap;

/// <summary>
/// Two API servers on one store: the <c>kubernetes</c> and <c>kube-dns</c> Endpoints list both, and a stopping one takes
/// itself out; a lone server on loopback publishes its DNS's address on <c>lo</c>.
/// </summary>
public sealed class MasterLeasesTests
{
    [Fact]
    public async Task EveryLiveApiServer_IsAnEndpoint_AndAStoppedOneLeaves()
    {
        await using var store = new MemoryStore(TimeProvider.System);

        // Documentation addresses (RFC 5737): advertised and stored, never dialled.
        var first = await StartAsync(store, "192.0.2.11");
        var second = await StartAsync(store, "192.0.2.12");
        try
        {
            Assert.Equal(["192.0.2.11", "192.0.2.12"], await EndpointIpsAsync(second));
            Assert.Equal(["192.0.2.11", "192.0.2.12"], await SliceIpsAsync(second));
            Assert.Equal(["192.0.2.11", "192.0.2.12"], await EndpointIpsAsync(second, "kube-system", "kube-dns"));
            Assert.Equal(["192.0.2.11", "192.0.2.12"], await SliceIpsAsync(second, "kube-system", "kube-dns"));
            Assert.Equal(["dns/53/UDP", "dns-tcp/53/TCP"], await SlicePortsAsync(second, "kube-system", "kube-dns"));
            Assert.Equal(2, (await store.ListAsync(Flotilla.ApiServer.Bootstrap.MasterLeases.Prefix, new Storage.ListOptions())).Items.Count);

            await second.StopAsync();

            Assert.Equal(["192.0.2.11"], await EndpointIpsAsync(first));
            Assert.Equal(["192.0.2.11"], await SliceIpsAsync(first));
            Assert.Equal(["192.0.2.11"], await EndpointIpsAsync(first, "kube-system", "kube-dns"));
            Assert.Equal(["192.0.2.11"], await SliceIpsAsync(first, "kube-system", "kube-dns"));
        }
        finally
        {
            await second.DisposeAsync();
            await first.StopAsync();
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task ALoneServerOnLoopback_PublishesNoLease_AndKubeDnsIsTheAddressItsDnsTakesOnLo()
    {
        await using var store = new MemoryStore(TimeProvider.System);
        var app = await StartAsync(store, "127.0.0.1");
        try
        {
            Assert.Empty((await store.ListAsync(Flotilla.ApiServer.Bootstrap.MasterLeases.Prefix, new Storage.ListOptions())).Items);
            Assert.Equal(["10.43.0.10"], await EndpointIpsAsync(app, "kube-system", "kube-dns"));
            Assert.Equal(["10.43.0.10"], await SliceIpsAsync(app, "kube-system", "kube-dns"));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartAsync(MemoryStore store, string advertised)
    {
        var app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, store);
        await app.StartAsync();
        await ApiServerHost.BootstrapAsync(app, new IPEndPoint(IPAddress.Parse(advertised), 6443), CancellationToken.None);
        return app;
    }

    private static async Task<string[]> EndpointIpsAsync(WebApplication app, string ns = "default", string name = "kubernetes")
    {
        var endpoints = (V1Endpoints)(await app.Services.GetRequiredService<ResourceRegistry>().Find("", "v1", "endpoints")!.GetAsync(ns, name, CancellationToken.None)).Object;
        return [.. endpoints.Subsets?.SelectMany(s => s.Addresses).Select(a => a.Ip) ?? []];
    }

    private static async Task<V1EndpointSlice> SliceAsync(WebApplication app, string ns, string name) =>
        (V1EndpointSlice)(await app.Services.GetRequiredService<ResourceRegistry>().Find("discovery.k8s.io", "v1", "endpointslices")!.GetAsync(ns, name, CancellationToken.None)).Object;

    private static async Task<string[]> SliceIpsAsync(WebApplication app, string ns = "default", string name = "kubernetes") =>
        [.. (await SliceAsync(app, ns, name)).Endpoints.SelectMany(e => e.Addresses)];

    private static async Task<string[]> SlicePortsAsync(WebApplication app, string ns, string name) =>
        [.. (await SliceAsync(app, ns, name)).Ports.Select(p => $"{p.Name}/{p.Port}/{p.Protocol}")];
}
