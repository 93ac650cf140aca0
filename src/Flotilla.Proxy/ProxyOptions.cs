using System.Net;

namespace Flotilla.Proxy;

/// <summary>One node's proxy (kube-proxy's configuration, iptables mode).</summary>
public sealed record ProxyOptions
{
    /// <summary>The node it runs on: its endpoints are the local ones of Local traffic policies.</summary>
    public required string NodeName { get; init; }

    /// <summary>The pods' network (<c>--cluster-cidr</c>): cluster-IP traffic from outside it is masqueraded.</summary>
    public string? ClusterCidr { get; init; } = "10.42.0.0/16";

    /// <summary>The node's network namespace (<c>/run/netns/NAME</c>); null for the host's.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary><c>--iptables-sync-period</c>: the rules are written again at least this often.</summary>
    public TimeSpan SyncPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--iptables-min-sync-period</c>: after a burst of two syncs, no more than one per this period.</summary>
    public TimeSpan MinSyncPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a sync rewrites every chain rather than the changed ones (upstream's FullSyncPeriod).</summary>
    public TimeSpan FullSyncPeriod { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Where <c>/healthz</c> and <c>/metrics</c> are served (upstream: port 10256); null for nowhere.</summary>
    public IPEndPoint? HealthzEndpoint { get; init; } = new(IPAddress.Loopback, 10256);

    /// <summary>NodePorts also answer on 127.0.0.1 (upstream's <c>--iptables-localhost-nodeports</c>, which sets <c>route_localnet</c>).</summary>
    public bool LocalhostNodePorts { get; init; } = true;
}
