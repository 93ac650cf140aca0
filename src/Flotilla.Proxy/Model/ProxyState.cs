using Flotilla.Api.Services;
using k8s.Models;

namespace Flotilla.Proxy.Model;

/// <summary>
/// The services this node proxies and their endpoints, read from the informers' Services and EndpointSlices
/// (upstream's ServicePortMap and EndpointsMap after the endpoint slice cache merged the slices).
/// </summary>
public sealed class ProxyState
{
    private const int DefaultAffinitySeconds = 10800;

    private ProxyState(IReadOnlyList<(ServicePort Port, IReadOnlyList<Endpoint> Endpoints)> ports) => Ports = ports;

    /// <summary>Every proxied service port with its endpoints (sorted by <c>ip:port</c>), in a stable order.</summary>
    public IReadOnlyList<(ServicePort Port, IReadOnlyList<Endpoint> Endpoints)> Ports { get; }

    public static ProxyState Build(IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(slices);
        var byService = slices
            .Where(s => s.AddressType == "IPv4" && s.Metadata?.Labels?.TryGetValue(ServiceLabels.ServiceName, out _) == true)
            .GroupBy(s => (s.Metadata.NamespaceProperty, s.Metadata.Labels[ServiceLabels.ServiceName]))
            .ToDictionary(g => g.Key, g => g.ToList());
        var ports = new List<(ServicePort, IReadOnlyList<Endpoint>)>();
        foreach (var service in services.OrderBy(s => s.Metadata?.NamespaceProperty, StringComparer.Ordinal).ThenBy(s => s.Metadata?.Name, StringComparer.Ordinal))
        {
            if (!Proxied(service))
            {
                continue;
            }

            var ns = service.Metadata.NamespaceProperty ?? "default";
            var serviceSlices = byService.GetValueOrDefault((ns, service.Metadata.Name)) ?? [];
            foreach (var port in service.Spec.Ports ?? [])
            {
                var servicePort = Port(service, port);
                ports.Add((servicePort, Endpoints(serviceSlices, port.Name ?? string.Empty, servicePort.Protocol, nodeName)));
            }
        }

        return new ProxyState(ports);
    }

    /// <summary>A service with a ClusterIP (not headless, not ExternalName) that no other proxy claims.</summary>
    private static bool Proxied(V1Service service) =>
        service.Metadata?.Name is not null
        && service.Spec is { Type: not "ExternalName", ClusterIP: { Length: > 0 } and not "None" }
        && System.Net.IPAddress.TryParse(service.Spec.ClusterIP, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
        && service.Metadata.Labels?.ContainsKey(ServiceLabels.ProxyName) != true;

    private static ServicePort Port(V1Service service, V1ServicePort port)
    {
        var spec = service.Spec;
        var affinity = spec.SessionAffinity == "ClientIP" ? spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? DefaultAffinitySeconds : (int?)null;
        var external = spec.Type is "NodePort" or "LoadBalancer" || spec.ExternalIPs?.Count > 0;
        return new ServicePort(
            new ServicePortName(service.Metadata.NamespaceProperty ?? "default", service.Metadata.Name, port.Name ?? string.Empty),
            (port.Protocol ?? "TCP").ToLowerInvariant(),
            spec.ClusterIP,
            port.Port,
            spec.Type is "NodePort" or "LoadBalancer" ? port.NodePort ?? 0 : 0,
            affinity,
            external && spec.ExternalTrafficPolicy == "Local",
            spec.InternalTrafficPolicy == "Local",
            [.. (spec.ExternalIPs ?? []).Where(IsIPv4)],
            spec.Type == "LoadBalancer" ? [.. (service.Status?.LoadBalancer?.Ingress ?? []).Select(i => i.Ip).Where(IsIPv4)] : []);
    }

    /// <summary>The slices' endpoints serving <paramref name="portName"/>, once each (a pod moving between slices may show twice for a moment: the ready one wins).</summary>
    private static List<Endpoint> Endpoints(List<V1EndpointSlice> slices, string portName, string protocol, string nodeName)
    {
        var endpoints = new Dictionary<string, Endpoint>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            var port = slice.Ports?.FirstOrDefault(p => (p.Name ?? string.Empty) == portName && (p.Protocol ?? "TCP").Equals(protocol, StringComparison.OrdinalIgnoreCase));
            if (port?.Port is not int number)
            {
                continue;
            }

            foreach (var endpoint in slice.Endpoints ?? [])
            {
                var ready = endpoint.Conditions?.Ready ?? true;
                foreach (var ip in (endpoint.Addresses ?? []).Take(1))
                {
                    var candidate = new Endpoint(ip, number, ready, endpoint.Conditions?.Serving ?? ready, endpoint.Conditions?.Terminating ?? false, endpoint.NodeName == nodeName);
                    var key = candidate.ToString();
                    if (!endpoints.TryGetValue(key, out var known) || (!known.Ready && candidate.Ready))
                    {
                        endpoints[key] = candidate;
                    }
                }
            }
        }

        return [.. endpoints.Values.OrderBy(e => e.ToString(), StringComparer.Ordinal)];
    }

    private static bool IsIPv4(string? ip) =>
        System.Net.IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
}
