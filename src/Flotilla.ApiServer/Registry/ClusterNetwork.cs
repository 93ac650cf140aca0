using Flotilla.ApiServer.Registry.Allocation;
using Flotilla.ApiServer.Registry.Core;

namespace Flotilla.ApiServer.Registry;

/// <summary>The cluster's service network as the API server allocates from it (DESIGN.md: 10.43.0.0/16, node ports 30000–32767).</summary>
public sealed class ClusterNetwork(string serviceCidr = ClusterNetwork.DefaultServiceCidr)
{
    public const string DefaultServiceCidr = "10.43.0.0/16";

    public ServiceAllocation Services { get; } = new(new IpAllocator(serviceCidr), new PortAllocator());

    /// <summary>The <c>kubernetes</c> Service's address: the first in the range.</summary>
    public string ApiServiceIp => Services.Ips.At(1);

    /// <summary>The <c>kube-dns</c> Service's address, the tenth (10.43.0.10, pods' nameserver).</summary>
    public string DnsServiceIp => Services.Ips.At(10);
}
