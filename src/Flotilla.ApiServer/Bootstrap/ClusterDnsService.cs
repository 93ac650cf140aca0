using Flotilla.Api.Services;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// The <c>kube-dns</c> Service in <c>kube-system</c> at 10.43.0.10 (pods' nameserver), labelled as k3s' CoreDNS
/// manifest labels it (tools select <c>k8s-app=kube-dns</c>; the name is ours). The DNS answers on that address itself
/// (it runs in the server and the address is on the host's loopback), so the Service has no selector and is handed away
/// from kube-proxy, which would otherwise reject traffic to a Service without endpoints.
/// </summary>
public static class ClusterDnsService
{
    public const string Name = "kube-dns";
    public const string ProxyName = "flotilla-cluster-dns";

    public static Task EnsureAsync(ResourceRegistry registry, CancellationToken cancellationToken)
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
                    [ServiceLabels.ProxyName] = ProxyName,
                },
            },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = registry.Network.DnsServiceIp,
                Ports =
                [
                    new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP", TargetPort = 53 },
                    new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP", TargetPort = 53 },
                ],
            },
        };
        return KubernetesService.CreateOrKeepAsync(registry.Find("", "v1", "services")!, "kube-system", service, cancellationToken);
    }
}
