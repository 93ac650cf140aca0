using System.Net;

namespace Flotilla.Dns;

/// <summary>How the cluster DNS serves (CoreDNS' <c>kubernetes</c> and <c>forward</c> plugins as k3s configures them).</summary>
public sealed record ClusterDnsOptions
{
    /// <summary>The kube-dns Service's ClusterIP, which pods have as their nameserver.</summary>
    public static readonly IPAddress DefaultAddress = IPAddress.Parse("10.43.0.10");

    /// <summary>Where UDP and TCP queries are taken (the same port for both).</summary>
    public IPEndPoint Listen { get; init; } = new(DefaultAddress, 53);

    /// <summary>
    /// When set, only queries from these networks or from a Node's address are answered, others REFUSED: a DNS on a
    /// host's own address (where agents' pods reach it) is no open resolver for the host's whole network.
    /// </summary>
    public IReadOnlyList<IPNetwork>? AllowedSources { get; init; }

    public string Zone { get; init; } = "cluster.local";

    /// <summary>The resolvers names outside the zone are forwarded to (all on one port); none gives SERVFAIL at once.</summary>
    public IReadOnlyList<IPAddress> Upstreams { get; init; } = [];

    public int UpstreamPort { get; init; } = 53;

    /// <summary>How long a forwarded question may take over all upstreams before the answer is SERVFAIL.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The records' TTL and the negative-caching TTL (the SOA's minimum), CoreDNS' default.</summary>
    public int Ttl { get; init; } = 5;
}
