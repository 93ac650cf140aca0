using System.Net;
using Flotilla.Api.Errors;
using Flotilla.Api.Services;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// The <c>kube-dns</c> Service in <c>kube-system</c> at 10.43.0.10 (pods' nameserver), labelled as k3s' CoreDNS
/// manifest labels it (tools select <c>k8s-app=kube-dns</c>; the name is ours). The DNS runs in every API server, so the
/// Service has no selector: its endpoints are the servers' (<see cref="MasterLeases"/>), and every node's kube-proxy
/// sends 10.43.0.10 there, from this machine or another.
/// </summary>
public static class ClusterDnsService
{
    public const string Name = "kube-dns";

    /// <summary>The label that handed the Service away from kube-proxy before its endpoints were the servers'.</summary>
    private const string FormerProxyName = "flotilla-cluster-dns";

    private static readonly (string Name, int Port, string Protocol)[] Ports = [("dns", 53, "UDP"), ("dns-tcp", 53, "TCP")];

    public static async Task EnsureAsync(ResourceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name,
                Labels = new Dictionary<string, string>
                {
                    ["k8s-app"] = "kube-dns",
                    ["kubernetes.io/cluster-service"] = "true",
                    ["kubernetes.io/name"] = "FlotillaDNS",
                },
            },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = registry.Network.DnsServiceIp,
                Ports = [.. Ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, Protocol = p.Protocol, TargetPort = p.Port })],
            },
        };
        var storage = registry.Find("", "v1", "services")!;
        await KubernetesService.CreateOrKeepAsync(storage, "kube-system", service, cancellationToken);
        await DropFormerProxyNameAsync(storage, cancellationToken);
    }

    /// <summary>The Service's Endpoints and EndpointSlice: the DNS on each of these addresses, port 53.</summary>
    public static Task SetEndpointsAsync(ResourceRegistry registry, IReadOnlyList<IPAddress> addresses, CancellationToken cancellationToken) =>
        ServerEndpoints.SetAsync(registry, "kube-system", Name, addresses, Ports, cancellationToken);

    /// <summary>A Service made by an earlier version keeps everything else an administrator may have changed.</summary>
    private static async Task DropFormerProxyNameAsync(ResourceStorage storage, CancellationToken cancellationToken)
    {
        var current = (V1Service)(await storage.GetAsync("kube-system", Name, cancellationToken)).Object;
        if (current.Metadata.Labels?.TryGetValue(ServiceLabels.ProxyName, out var proxy) != true || proxy != FormerProxyName)
        {
            return;
        }

        try
        {
            await storage.UpdateAsync("kube-system", Name, storage.Strategy, o =>
            {
                var service = (V1Service)o!;
                service.Metadata.Labels.Remove(ServiceLabels.ProxyName);
                return service;
            }, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason is "NotFound" or "Conflict")
        {
            // Deleted or changed meanwhile: the next start looks again.
        }
    }
}
