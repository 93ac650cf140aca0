using System.Net;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Bootstrap;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage.Memory;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Bootstrap;

public sealed class KubernetesServiceTests
{
    [Fact]
    public async Task ARoutableApiServer_IsTheKubernetesServicesEndpoints_AndEndpointSlice_KeptAcrossStarts()
    {
        await using var store = new MemoryStore(TimeProvider.System);
        var registry = new ResourceRegistry(ResourceCatalog.Default, store, TimeProvider.System);
        await registry.Find("", "v1", "namespaces")!.CreateAsync(null, new V1Namespace { Metadata = new V1ObjectMeta { Name = "default" } }, dryRun: false, admission: null, CancellationToken.None);

        // A documentation address (RFC 5737): stored, never dialled.
        var address = new IPEndPoint(IPAddress.Parse("192.0.2.10"), 6443);
        await KubernetesService.EnsureServiceAsync(registry, address.Port, CancellationToken.None);
        await KubernetesService.EnsureServiceAsync(registry, address.Port, CancellationToken.None);
        await KubernetesService.SetEndpointsAsync(registry, [address.Address], address.Port, CancellationToken.None);
        var endpointsVersion = (await registry.Find("", "v1", "endpoints")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object.Metadata.ResourceVersion;
        var sliceVersion = (await registry.Find("discovery.k8s.io", "v1", "endpointslices")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object.Metadata.ResourceVersion;

        // The same addresses again: nothing written (every proxy watches these).
        await KubernetesService.SetEndpointsAsync(registry, [address.Address], address.Port, CancellationToken.None);
        Assert.Equal(endpointsVersion, (await registry.Find("", "v1", "endpoints")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object.Metadata.ResourceVersion);
        Assert.Equal(sliceVersion, (await registry.Find("discovery.k8s.io", "v1", "endpointslices")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object.Metadata.ResourceVersion);

        var endpoints = (V1Endpoints)(await registry.Find("", "v1", "endpoints")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object;
        Assert.Equal("192.0.2.10", Assert.Single(Assert.Single(endpoints.Subsets).Addresses).Ip);
        var slice = (V1EndpointSlice)(await registry.Find("discovery.k8s.io", "v1", "endpointslices")!.GetAsync("default", "kubernetes", CancellationToken.None)).Object;
        Assert.Equal("kubernetes", slice.Metadata.Labels["kubernetes.io/service-name"]);
        Assert.Equal("IPv4", slice.AddressType);
        var endpoint = Assert.Single(slice.Endpoints);
        Assert.Equal(("192.0.2.10", true), (Assert.Single(endpoint.Addresses), endpoint.Conditions.Ready));
        Assert.Equal(("https", 6443, "TCP"), (Assert.Single(slice.Ports).Name, Assert.Single(slice.Ports).Port, Assert.Single(slice.Ports).Protocol));
    }
}
