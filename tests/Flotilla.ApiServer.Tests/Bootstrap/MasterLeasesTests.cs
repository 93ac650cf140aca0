using System.Net;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage.Memory;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Tests.Bootstrap;

/// <summary>Two API servers on one store: the <c>kubernetes</c> Endpoints list both, and a stopping one takes itself out.</summary>
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
            Assert.Equal(2, (await store.ListAsync(Flotilla.ApiServer.Bootstrap.MasterLeases.Prefix, new Storage.ListOptions())).Items.Count);

            await second.StopAsync();

            Assert.Equal(["192.0.2.11"], await EndpointIpsAsync(first));
            Assert.Equal(["192.0.2.11"], await SliceIpsAsync(first));
        }
        finally
        {
            await second.DisposeAsync();
            await first.StopAsync();
            await first.DisposeAsync();
        }
    }

    private static async Task<WebApplication> StartAsync(MemoryStore store, string advertised)
    {
        var app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, store);
        await app.StartAsync();
        await ApiServerHost.BootstrapAsync(app, new IPEndPoint(IPAddress.Parse(advertised), 6443), CancellationToken.None);
        return app;
    }

    private static async Task<string[]> EndpointIpsAsync(WebApplication app)
    {
        var endpoints = (V1Endpoints)(await app.Services.GetRequiredService<ResourceRegistry>().Find("", "v1", "endpoints")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object;
        return [.. endpoints.Subsets?.SelectMany(s => s.Addresses).Select(a => a.Ip) ?? []];
    }

    private static async Task<string[]> SliceIpsAsync(WebApplication app)
    {
        var slice = (V1EndpointSlice)(await app.Services.GetRequiredService<ResourceRegistry>().Find("discovery.k8s.io", "v1", "endpointslices")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object;
        return [.. slice.Endpoints.SelectMany(e => e.Addresses)];
    }
}
