namespace Flotilla.Proxy.Model;

/// <summary>
/// What the proxy programs for one port of one Service (upstream's ServicePort): where it answers — its ClusterIP,
/// NodePort, external and load-balancer IPs — and how — protocol, session affinity, traffic policies.
/// </summary>
/// <param name="Protocol">Lower case, as iptables' matches take it: <c>tcp</c>, <c>udp</c>, <c>sctp</c>.</param>
/// <param name="AffinitySeconds">For <c>sessionAffinity: ClientIP</c>, how long a client sticks to its endpoint; null without affinity.</param>
public sealed record ServicePort(
    ServicePortName Name,
    string Protocol,
    string ClusterIp,
    int Port,
    int NodePort,
    int? AffinitySeconds,
    bool ExternalPolicyLocal,
    bool InternalPolicyLocal,
    IReadOnlyList<string> ExternalIps,
    IReadOnlyList<string> LoadBalancerIps)
{
    /// <summary>Reachable from outside the cluster: through a NodePort, an external IP or a load balancer.</summary>
    public bool ExternallyAccessible => NodePort > 0 || ExternalIps.Count > 0 || LoadBalancerIps.Count > 0;

    /// <summary>Needs the cluster-wide endpoint set: for cluster traffic, or for external traffic (pods and the node itself short-circuit to it even under a Local policy).</summary>
    public bool UsesClusterEndpoints => !InternalPolicyLocal || ExternallyAccessible;

    /// <summary>Needs this node's endpoints only.</summary>
    public bool UsesLocalEndpoints => InternalPolicyLocal || (ExternalPolicyLocal && ExternallyAccessible);
}
