using System.Net;
using Flotilla.Api.Errors;
using Flotilla.Api.Services;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// The <c>kubernetes</c> Service in <c>default</c> (cluster IP 10.43.0.1, port 443) and, when the API server has a
/// routable address, its Endpoints and EndpointSlice pointing at it, kept as upstream's bootstrap controller keeps them.
/// </summary>
public static class KubernetesService
{
    public static async Task EnsureAsync(ResourceRegistry registry, IPEndPoint apiServer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(apiServer);
        var labels = new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" };
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "kubernetes", Labels = labels },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = registry.Network.ApiServiceIp,
                SessionAffinity = "None",
                Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP", TargetPort = apiServer.Port }],
            },
        };
        await CreateOrKeepAsync(registry.Find("", "v1", "services")!, "default", service, cancellationToken);
        if (IPAddress.IsLoopback(apiServer.Address))
        {
            // Endpoints may not hold loopback addresses (pods could not reach them): they come with an advertised
            // node address once the API serves beyond loopback (TLS, #4).
            return;
        }

        var endpoints = new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "kubernetes", Labels = new Dictionary<string, string> { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
            Subsets =
            [
                new V1EndpointSubset
                {
                    Addresses = [new V1EndpointAddress { Ip = apiServer.Address.ToString() }],
                    Ports = [new Corev1EndpointPort { Name = "https", Port = apiServer.Port, Protocol = "TCP" }],
                },
            ],
        };
        var storage = registry.Find("", "v1", "endpoints")!;
        await storage.UpdateAsync("default", "kubernetes", storage.Strategy, _ => endpoints, dryRun: false, admission: null, cancellationToken);

        // Its EndpointSlice too, as upstream's endpoint reconciler writes both (no controller owns this Service's).
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "kubernetes", Labels = new Dictionary<string, string> { [ServiceLabels.ServiceName] = "kubernetes" } },
            AddressType = apiServer.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            Endpoints = [new V1Endpoint { Addresses = [apiServer.Address.ToString()], Conditions = new V1EndpointConditions { Ready = true } }],
            Ports = [new Discoveryv1EndpointPort { Name = "https", Port = apiServer.Port, Protocol = "TCP" }],
        };
        var slices = registry.Find("discovery.k8s.io", "v1", "endpointslices")!;
        try
        {
            await slices.UpdateAsync("default", "kubernetes", slices.Strategy, _ => slice, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason == "NotFound")
        {
            await slices.CreateAsync("default", slice, dryRun: false, admission: null, cancellationToken);
        }
    }

    /// <summary>Creates <paramref name="service"/> unless it exists (perhaps changed since, which is the administrator's to do).</summary>
    internal static async Task CreateOrKeepAsync(ResourceStorage storage, string ns, V1Service service, CancellationToken cancellationToken)
    {
        try
        {
            // Kept from an earlier start. Look first: a create would allocate the cluster IP before finding the
            // Service exists, and the allocator repaired from the store already holds that IP.
            await storage.GetAsync(ns, service.Metadata.Name, cancellationToken);
            return;
        }
        catch (StatusException e) when (e.Reason == "NotFound")
        {
        }

        try
        {
            await storage.CreateAsync(ns, service, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason == "AlreadyExists")
        {
            // Kept from an earlier start.
        }
    }
}
