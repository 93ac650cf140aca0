using Flotilla.Kubelet.Pods;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Pods;

public sealed class PodNetworkFilesTests
{
    private const string HostResolv = "nameserver 192.0.2.53\nsearch corp.example .\noptions edns0\n";

    private static V1Pod Pod(string? policy = null, bool hostNetwork = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-0", NamespaceProperty = "shop", Uid = "u1" },
        Spec = new V1PodSpec { DnsPolicy = policy, HostNetwork = hostNetwork, Hostname = "web-0", Subdomain = "web" },
    };

    [Fact]
    public void ClusterFirst_UsesTheClusterDns_WithTheNamespacesSearchPath()
    {
        var dns = PodNetworkFiles.Dns(Pod(), ["10.43.0.10"], "cluster.local", HostResolv, out var missing);
        Assert.False(missing);
        Assert.Equal(["10.43.0.10"], dns.Servers);
        Assert.Equal(["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"], dns.Searches);
        Assert.Equal(["ndots:5"], dns.Options);
    }

    [Fact]
    public void WithoutClusterDns_ClusterFirstFallsBackToTheNodes_AndSaysSo()
    {
        var dns = PodNetworkFiles.Dns(Pod(), [], "cluster.local", HostResolv, out var missing);
        Assert.True(missing);
        Assert.Equal("192.0.2.53 | corp.example | edns0", Line(dns));
        PodNetworkFiles.Dns(Pod("Default"), [], "cluster.local", HostResolv, out var asked);
        Assert.False(asked);
    }

    [Fact]
    public void None_TakesOnlyDnsConfig_WhoseOptionsOverride()
    {
        var pod = Pod("None");
        pod.Spec.DnsConfig = new V1PodDNSConfig { Nameservers = ["1.1.1.1"], Searches = ["a.example"], Options = [new V1PodDNSConfigOption { Name = "ndots", Value = "2" }] };
        var dns = PodNetworkFiles.Dns(pod, ["10.43.0.10"], "cluster.local", HostResolv, out _);
        Assert.Equal("1.1.1.1 | a.example | ndots:2", Line(dns));
    }

    [Fact]
    public void Hosts_NamesThePodWithItsSubdomain_ThenTheAliases()
    {
        var pod = Pod();
        pod.Spec.HostAliases = [new V1HostAlias { Ip = "192.0.2.9", Hostnames = ["db", "db.local"] }];
        var hosts = PodNetworkFiles.Hosts(pod, ["10.42.0.7"], "cluster.local", string.Empty);
        Assert.StartsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n", hosts, StringComparison.Ordinal);
        Assert.Contains("10.42.0.7\tweb-0.web.shop.svc.cluster.local\tweb-0\n", hosts, StringComparison.Ordinal);
        Assert.EndsWith("\n# Entries added by HostAliases.\n192.0.2.9\tdb\tdb.local\n", hosts, StringComparison.Ordinal);
        Assert.Equal("# Kubernetes-managed hosts file (host network).\n127.0.0.1 node\n", PodNetworkFiles.Hosts(Pod(hostNetwork: true), [], "cluster.local", "127.0.0.1 node\n"));
    }

    private static string Line(Flotilla.Kubelet.Runtime.PodDns dns) => $"{string.Join(',', dns.Servers)} | {string.Join(',', dns.Searches)} | {string.Join(',', dns.Options)}";
}
