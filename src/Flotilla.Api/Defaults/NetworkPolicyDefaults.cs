using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's networking/v1 SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort: a policy that names no
/// types restricts ingress, and egress too when it has egress rules; ports are TCP.
/// </summary>
public static class NetworkPolicyDefaults
{
    public const string Ingress = "Ingress";
    public const string Egress = "Egress";

    public static void Apply(V1NetworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var spec = policy.Spec ??= new V1NetworkPolicySpec();
        if (spec.PolicyTypes is not { Count: > 0 })
        {
            spec.PolicyTypes = spec.Egress is { Count: > 0 } ? [Ingress, Egress] : [Ingress];
        }

        var ports = (spec.Ingress ?? []).SelectMany(r => r.Ports ?? [])
            .Concat((spec.Egress ?? []).SelectMany(r => r.Ports ?? []));
        foreach (var port in ports)
        {
            port.Protocol ??= "TCP";
        }
    }
}
