using System.Net;
using Flotilla.Api.Errors;
using Flotilla.Api.Services;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// The Endpoints and EndpointSlice of a Service the API servers themselves serve (<c>kubernetes</c>, <c>kube-dns</c>):
/// the given addresses (sorted) on the given ports, written only when they differ from what is stored, as upstream's
/// endpoint reconciler writes both (no controller owns these Services' endpoints, and the mirroring controller skips them).
/// </summary>
public static class ServerEndpoints
{
    public static async Task SetAsync(ResourceRegistry registry, string ns, string name, IReadOnlyList<IPAddress> addresses, IReadOnlyList<(string Name, int Port, string Protocol)> ports, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(ports);
        var ips = addresses.Select(a => a.ToString()).Distinct().Order(StringComparer.Ordinal).ToList();
        var endpoints = new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["endpointslice.kubernetes.io/skip-mirror"] = "true" } },
            Subsets = ips.Count == 0 ? null :
            [
                new V1EndpointSubset
                {
                    Addresses = [.. ips.Select(ip => new V1EndpointAddress { Ip = ip })],
                    Ports = [.. ports.Select(p => new Corev1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
                },
            ],
        };
        var storage = registry.Find("", "v1", "endpoints")!;
        if (!await SameAsync(storage, ns, name, endpoints.Subsets, e => ((V1Endpoints)e).Subsets, cancellationToken))
        {
            await storage.UpdateAsync(ns, name, storage.Strategy, _ => endpoints, dryRun: false, admission: null, cancellationToken);
        }

        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [ServiceLabels.ServiceName] = name } },
            AddressType = addresses.FirstOrDefault()?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4",
            Endpoints = [.. ips.Select(ip => new V1Endpoint { Addresses = [ip], Conditions = new V1EndpointConditions { Ready = true } })],
            Ports = [.. ports.Select(p => new Discoveryv1EndpointPort { Name = p.Name, Port = p.Port, Protocol = p.Protocol })],
        };
        var slices = registry.Find("discovery.k8s.io", "v1", "endpointslices")!;
        if (await SameAsync(slices, ns, name, new object?[] { slice.Endpoints, slice.Ports }, e => new object?[] { ((V1EndpointSlice)e).Endpoints, ((V1EndpointSlice)e).Ports }, cancellationToken))
        {
            return;
        }

        try
        {
            await slices.UpdateAsync(ns, name, slices.Strategy, _ => slice, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason == "NotFound")
        {
            await slices.CreateAsync(ns, slice, dryRun: false, admission: null, cancellationToken);
        }
    }

    /// <summary>Whether the stored object's part equals <paramref name="wanted"/> (compared as JSON).</summary>
    private static async Task<bool> SameAsync<T>(ResourceStorage storage, string ns, string name, T wanted, Func<object, T> part, CancellationToken cancellationToken)
    {
        try
        {
            var current = (await storage.GetAsync(ns, name, cancellationToken)).Object;
            return System.Text.Json.JsonSerializer.Serialize(part(current), Api.Serialization.KubernetesJsonOptions.Value) ==
                System.Text.Json.JsonSerializer.Serialize(wanted, Api.Serialization.KubernetesJsonOptions.Value);
        }
        catch (StatusException e) when (e.Reason == "NotFound")
        {
            return false;
        }
    }
}
