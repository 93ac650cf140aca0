using System.Net;
using Flotilla.Api.Errors;
using Flotilla.Api.Services;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// The <c>kubernetes</c> Service in <c>default</c> (cluster IP 10.43.0.1, port 443) and its Endpoints and
/// EndpointSlice: the live API servers (<see cref="MasterLeases"/>), kept as upstream's bootstrap controller keeps them.
/// </summary>
public static class KubernetesService
{
    /// <summary>The Service itself, its target port the API servers' (every one serves on the same port, as upstream requires).</summary>
    public static async Task EnsureServiceAsync(ResourceRegistry registry, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var labels = new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" };
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "kubernetes", Labels = labels },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = registry.Network.ApiServiceIp,
                SessionAffinity = "None",
                Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP", TargetPort = port }],
            },
        };
        await CreateOrKeepAsync(registry.Find("", "v1", "services")!, "default", service, cancellationToken);
    }

    /// <summary>
    /// The Service's Endpoints and EndpointSlice: every live API server's address (sorted), written only when they
    /// differ from what is stored, as upstream's endpoint reconciler writes both (no controller owns this Service's).
    /// </summary>
    public static async Task SetEndpointsAsync(ResourceRegistry registry, IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(addresses);
        var ips = addresses.Select(a => a.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();
        var endpoints = new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "kubernetes", Labels = new Dictionary<string, string> { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
            Subsets = ips.Count == 0 ? null :
            [
                new V1EndpointSubset
                {
                    Addresses = [.. ips.Select(ip => new V1EndpointAddress { Ip = ip })],
                    Ports = [new Corev1EndpointPort { Name = "https", Port = port, Protocol = "TCP" }],
                },
            ],
        };
        var storage = registry.Find("", "v1", "endpoints")!;
        if (!await SameAsync(storage, endpoints.Subsets, e => ((V1Endpoints)e).Subsets, cancellationToken))
        {
            await storage.UpdateAsync("default", "kubernetes", storage.Strategy, _ => endpoints, dryRun: false, admission: null, cancellationToken);
        }

        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "kubernetes", Labels = new Dictionary<string, string> { [ServiceLabels.ServiceName] = "kubernetes" } },
            AddressType = addresses.FirstOrDefault()?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            Endpoints = [.. ips.Select(ip => new V1Endpoint { Addresses = [ip], Conditions = new V1EndpointConditions { Ready = true } })],
            Ports = [new Discoveryv1EndpointPort { Name = "https", Port = port, Protocol = "TCP" }],
        };
        var slices = registry.Find("discovery.k8s.io", "v1", "endpointslices")!;
        if (await SameAsync(slices, new object?[] { slice.Endpoints, slice.Ports }, e => new object?[] { ((V1EndpointSlice)e).Endpoints, ((V1EndpointSlice)e).Ports }, cancellationToken))
        {
            return;
        }

        try
        {
            await slices.UpdateAsync("default", "kubernetes", slices.Strategy, _ => slice, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason == "NotFound")
        {
            await slices.CreateAsync("default", slice, dryRun: false, admission: null, cancellationToken);
        }
    }

    /// <summary>Whether the stored object's part equals <paramref name="wanted"/> (compared as JSON).</summary>
    private static async Task<bool> SameAsync<T>(ResourceStorage storage, T wanted, Func<object, T> part, CancellationToken cancellationToken)
    {
        try
        {
            var current = (await storage.GetAsync("default", "kubernetes", cancellationToken)).Object;
            return System.Text.Json.JsonSerializer.Serialize(part(current), Api.Serialization.KubernetesJsonOptions.Value) ==
                System.Text.Json.JsonSerializer.Serialize(wanted, Api.Serialization.KubernetesJsonOptions.Value);
        }
        catch (StatusException e) when (e.Reason == "NotFound")
        {
            return false;
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
