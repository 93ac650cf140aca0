using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class ServicePrinterTests
{
    public static TheoryData<string, V1Service, string[]> Services => new()
    {
        {
            "load balancer with two ingress IPs",
            Service("LoadBalancer", [Port(80, "TCP")], ingress: [("2.3.4.5", null), ("3.4.5.6", null)]),
            ["service1", "LoadBalancer", "1.2.3.4", "2.3.4.5,3.4.5.6", "80/TCP", "<unknown>", "<none>"]
        },
        {
            "load balancer pending",
            Service("LoadBalancer", [Port(80, "TCP"), Port(8090, "UDP"), Port(8000, "TCP"), Port(7777, "SCTP")]),
            ["service1", "LoadBalancer", "1.2.3.4", "<pending>", "80/TCP,8090/UDP,8000/TCP,7777/SCTP", "<unknown>", "<none>"]
        },
        {
            "long ingress list is not clipped server-side; IP wins over hostname",
            Service("LoadBalancer", [Port(80, "TCP")], ingress: [("5.6.7.8", "host5678"), ("2.3.4.5", null), ("3.4.5.6", null)], selector: new() { ["foo"] = "bar" }),
            ["service1", "LoadBalancer", "1.2.3.4", "2.3.4.5,3.4.5.6,5.6.7.8", "80/TCP", "<unknown>", "foo=bar"]
        },
        {
            "load balancer hostname and external IPs",
            Service("LoadBalancer", [Port(443, "TCP", nodePort: 30443)], ingress: [(null, "lb.example.com")], externalIPs: ["9.9.9.9"]),
            ["service1", "LoadBalancer", "1.2.3.4", "lb.example.com,9.9.9.9", "443:30443/TCP", "<unknown>", "<none>"]
        },
        {
            "cluster IP without external IPs",
            Service("ClusterIP", [Port(53, "UDP"), Port(53, "TCP")]),
            ["service1", "ClusterIP", "1.2.3.4", "<none>", "53/UDP,53/TCP", "<unknown>", "<none>"]
        },
        {
            "node port with external IPs",
            Service("NodePort", [Port(80, "TCP", nodePort: 30080)], externalIPs: ["1.1.1.1", "2.2.2.2"]),
            ["service1", "NodePort", "1.2.3.4", "1.1.1.1,2.2.2.2", "80:30080/TCP", "<unknown>", "<none>"]
        },
        {
            "headless without ports",
            Service("ClusterIP", [], clusterIP: "None"),
            ["service1", "ClusterIP", "None", "<none>", "<none>", "<unknown>", "<none>"]
        },
        {
            "external name",
            new V1Service { Metadata = new V1ObjectMeta { Name = "service1" }, Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "db.example.com" } },
            ["service1", "ExternalName", "<none>", "db.example.com", "<none>", "<unknown>", "<none>"]
        },
    };

    [Theory]
    [MemberData(nameof(Services))]
    public void Cells_Service_MatchesKubectl(string scenario, V1Service service, string[] expected) =>
        Assert.True(expected.SequenceEqual(new ServicePrinter().Cells(service, Clock.Now).Cast<string>()), scenario);

    [Fact]
    public void Columns_MatchUpstream()
    {
        var columns = new ServicePrinter().Columns;

        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"], columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1], columns.Select(c => c.Priority));
    }

    private static V1Service Service(
        string type,
        IList<V1ServicePort> ports,
        (string? Ip, string? Hostname)[]? ingress = null,
        IList<string>? externalIPs = null,
        Dictionary<string, string>? selector = null,
        string clusterIP = "1.2.3.4") => new()
        {
            Metadata = new V1ObjectMeta { Name = "service1" },
            Spec = new V1ServiceSpec { Type = type, ClusterIPs = [clusterIP], Ports = ports, ExternalIPs = externalIPs, Selector = selector },
            Status = new V1ServiceStatus
            {
                LoadBalancer = new V1LoadBalancerStatus { Ingress = [.. (ingress ?? []).Select(i => new V1LoadBalancerIngress { Ip = i.Ip, Hostname = i.Hostname })] },
            },
        };

    private static V1ServicePort Port(int port, string protocol, int? nodePort = null) =>
        new() { Port = port, Protocol = protocol, NodePort = nodePort };
}
