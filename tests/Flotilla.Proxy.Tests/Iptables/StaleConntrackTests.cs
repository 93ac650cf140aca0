using Flotilla.Proxy.Iptables;
using Flotilla.Proxy.Model;

namespace Flotilla.Proxy.Tests.Iptables;

public sealed class StaleConntrackTests
{
    private static readonly UdpNodePortService Dns = new();

    [Fact]
    public void AUdpServiceGettingItsFirstEndpoint_ForgetsWhatWasRefused()
    {
        var before = ProxyState.Build([Dns.Service()], [], "n1");
        var after = ProxyState.Build([Dns.Service()], [Dns.Slice("10.42.0.5")], "n1");

        Assert.Equal(
            [["-D", "--orig-dst", "10.43.0.10", "-p", "udp"], ["-D", "-p", "udp", "--dport", "30053"]],
            StaleConntrack.Commands(before, after));
    }

    [Fact]
    public void AnEndpointGone_ItsFlowsAreDeleted_TcpServicesAreLeftToTcp()
    {
        var tcp = Objects.Service("web", "10.43.0.20");
        var before = ProxyState.Build([Dns.Service(), tcp], [Dns.Slice("10.42.0.5", "10.42.0.6"), Objects.Slice("web", 8080, ("10.42.0.7", "n1", true))], "n1");
        var after = ProxyState.Build([Dns.Service(), tcp], [Dns.Slice("10.42.0.6"), Objects.Slice("web", 8080, ("10.42.0.8", "n1", true))], "n1");

        Assert.Equal(
            [["-D", "--orig-dst", "10.43.0.10", "--dst-nat", "10.42.0.5", "-p", "udp"], ["-D", "-p", "udp", "--dport", "30053", "--dst-nat", "10.42.0.5"]],
            StaleConntrack.Commands(before, after));
        Assert.Empty(StaleConntrack.Commands(after, after));
    }

    [Fact]
    public void AUdpServiceDeleted_ItsFlowsAreDeleted()
    {
        var before = ProxyState.Build([Dns.Service()], [Dns.Slice("10.42.0.5")], "n1");

        Assert.Equal([["-D", "--orig-dst", "10.43.0.10", "-p", "udp"]], StaleConntrack.Commands(before, ProxyState.Build([], [], "n1")));
    }

    /// <summary>A UDP NodePort service, <c>kube-system/dns</c> on 10.43.0.10:53.</summary>
    private sealed class UdpNodePortService
    {
        public k8s.Models.V1Service Service() => Objects.Service("dns", "10.43.0.10", port: 53, type: "NodePort", nodePort: 30053, protocol: "UDP");

        public k8s.Models.V1EndpointSlice Slice(params string[] ips)
        {
            var slice = Objects.Slice("dns", 53, [.. ips.Select(ip => (ip, "n1", (bool?)true))]);
            slice.Ports[0].Protocol = "UDP";
            return slice;
        }
    }
}
