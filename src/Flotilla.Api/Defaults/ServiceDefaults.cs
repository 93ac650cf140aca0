using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetDefaults_Service (cluster IPs and IP families are allocated by the registry, not here).</summary>
public static class ServiceDefaults
{
    public const string ClusterIP = "ClusterIP";
    public const string NodePort = "NodePort";
    public const string LoadBalancer = "LoadBalancer";
    public const string AffinityNone = "None";
    public const string AffinityClientIP = "ClientIP";
    public const string TrafficPolicyCluster = "Cluster";

    /// <summary>Three hours, upstream's DefaultClientIPServiceAffinitySeconds.</summary>
    public const int ClientIPAffinitySeconds = 10800;

    public static void Apply(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec ??= new V1ServiceSpec();
        ApplySessionAffinity(spec);
        if (string.IsNullOrEmpty(spec.Type))
        {
            spec.Type = ClusterIP;
        }

        foreach (var port in spec.Ports ?? [])
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }

            // An int 0 and an empty string both mean "unset"; the package keeps both as text.
            if (port.TargetPort?.Value is null or "" or "0")
            {
                port.TargetPort = port.Port;
            }
        }

        if (IsExternallyAccessible(spec) && string.IsNullOrEmpty(spec.ExternalTrafficPolicy))
        {
            spec.ExternalTrafficPolicy = TrafficPolicyCluster;
        }

        if (spec.InternalTrafficPolicy is null && spec.Type is ClusterIP or NodePort or LoadBalancer)
        {
            spec.InternalTrafficPolicy = TrafficPolicyCluster;
        }

        if (spec.Type == LoadBalancer)
        {
            spec.AllocateLoadBalancerNodePorts ??= true;

            // LoadBalancerIPMode (on by default since 1.30): an IP without a mode is a VIP.
            foreach (var ingress in service.Status?.LoadBalancer?.Ingress ?? [])
            {
                if (!string.IsNullOrEmpty(ingress.Ip) && ingress.IpMode is null)
                {
                    ingress.IpMode = "VIP";
                }
            }
        }
    }

    /// <summary>As upstream's service.ExternallyAccessible: node ports, load balancers, or external IPs.</summary>
    public static bool IsExternallyAccessible(V1ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Type is LoadBalancer or NodePort || (spec.Type == ClusterIP && spec.ExternalIPs is { Count: > 0 });
    }

    private static void ApplySessionAffinity(V1ServiceSpec spec)
    {
        if (string.IsNullOrEmpty(spec.SessionAffinity))
        {
            spec.SessionAffinity = AffinityNone;
        }

        if (spec.SessionAffinity == AffinityNone)
        {
            spec.SessionAffinityConfig = null;
        }
        else if (spec.SessionAffinity == AffinityClientIP && spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is null)
        {
            spec.SessionAffinityConfig = new V1SessionAffinityConfig
            {
                ClientIP = new V1ClientIPConfig { TimeoutSeconds = ClientIPAffinitySeconds },
            };
        }
    }
}
