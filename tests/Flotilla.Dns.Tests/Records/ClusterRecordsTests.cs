using Flotilla.Dns.Records;
using k8s.Models;

namespace Flotilla.Dns.Tests.Records;

public sealed class ClusterRecordsTests
{
    private static readonly ClusterRecords Zone = ClusterRecords.Build(
        "cluster.local.",
        [
            Service("web", "10.43.0.20", ("http", "TCP", 80), ("", "TCP", 81)),
            Service("db", "None", ("pg", "TCP", 5432)),
            Service("empty", "None", ("pg", "TCP", 5432)),
            new V1Service { Metadata = new V1ObjectMeta { Name = "ext", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "example.org." } },
        ],
        [Slice("db", ("10.42.0.7", "db-0", true), ("10.42.0.8", null, true), ("10.42.0.9", "db-2", false))],
        [new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" }, Spec = new V1PodSpec(), Status = new V1PodStatus { PodIP = "10.42.0.30" } }]);

    [Fact]
    public void AService_IsItsClusterIp_WhateverTheCase()
    {
        Assert.Equal([new DnsRecord("web.default.svc.cluster.local", DnsType.A, "10.43.0.20")], Zone.Lookup("Web.Default.svc.cluster.local.", DnsType.A).Records);
        Assert.Equal(DnsAnswer.Empty.Records, Zone.Lookup("web.default.svc.cluster.local", DnsType.Aaaa).Records);
        Assert.Equal(DnsOutcome.Answer, Zone.Lookup("web.default.svc.cluster.local", DnsType.Aaaa).Outcome);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("nope.default.svc.cluster.local", DnsType.A).Outcome);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("web.other.svc.cluster.local", DnsType.A).Outcome);
    }

    [Fact]
    public void AHeadlessService_IsItsReadyEndpoints_EachByItsHostnameOrDashedAddress()
    {
        Assert.Equal(["10.42.0.7", "10.42.0.8"], Zone.Lookup("db.default.svc.cluster.local", DnsType.A).Records.Select(r => r.Value));
        Assert.Equal("10.42.0.7", Assert.Single(Zone.Lookup("db-0.db.default.svc.cluster.local", DnsType.A).Records).Value);
        Assert.Equal("10.42.0.8", Assert.Single(Zone.Lookup("10-42-0-8.db.default.svc.cluster.local", DnsType.A).Records).Value);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("db-2.db.default.svc.cluster.local", DnsType.A).Outcome);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("empty.default.svc.cluster.local", DnsType.A).Outcome);
    }

    [Fact]
    public void NamedPorts_HaveSrvRecords()
    {
        Assert.Equal(
            [new DnsRecord("_http._tcp.web.default.svc.cluster.local", DnsType.Srv, "web.default.svc.cluster.local", 0, 100, 80)],
            Zone.Lookup("_http._tcp.web.default.svc.cluster.local", DnsType.Srv).Records);
        Assert.Equal(
            [("db-0.db.default.svc.cluster.local", 50, 5432), ("10-42-0-8.db.default.svc.cluster.local", 50, 5432)],
            Zone.Lookup("_pg._tcp.db.default.svc.cluster.local", DnsType.Srv).Records.Select(r => (r.Value, r.Weight, r.Port)));
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("_http._udp.web.default.svc.cluster.local", DnsType.Srv).Outcome);
    }

    [Fact]
    public void ExternalNames_PodNames_AndTheSchemaVersion()
    {
        Assert.Equal([new DnsRecord("ext.default.svc.cluster.local", DnsType.Cname, "example.org")], Zone.Lookup("ext.default.svc.cluster.local", DnsType.A).Records);
        Assert.Equal("10.42.0.99", Assert.Single(Zone.Lookup("10-42-0-99.team.pod.cluster.local", DnsType.A).Records).Value);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("10-42-0.team.pod.cluster.local", DnsType.A).Outcome);
        Assert.Equal("10.42.0.8", Assert.Single(Zone.Lookup("010-042-0-08.team.pod.cluster.local", DnsType.A).Records).Value);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("0x0a-42-0-1.team.pod.cluster.local", DnsType.A).Outcome);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("10-42-0-256.team.pod.cluster.local", DnsType.A).Outcome);
        Assert.Equal("1.1.0", Assert.Single(Zone.Lookup("dns-version.cluster.local", DnsType.Txt).Records).Value);
        Assert.Equal(DnsOutcome.Answer, Zone.Lookup("default.svc.cluster.local", DnsType.A).Outcome);
        Assert.Equal(DnsOutcome.NameError, Zone.Lookup("nowhere.svc.cluster.local", DnsType.A).Outcome);
    }

    [Fact]
    public void Addresses_PointBackToTheirNames_OthersAreForwarded()
    {
        Assert.Equal("web.default.svc.cluster.local", Assert.Single(Zone.Lookup("20.0.43.10.in-addr.arpa.", DnsType.Ptr).Records).Value);
        Assert.Equal("db-0.db.default.svc.cluster.local", Assert.Single(Zone.Lookup("7.0.42.10.in-addr.arpa", DnsType.Ptr).Records).Value);
        Assert.Equal("10-42-0-30.team.pod.cluster.local", Assert.Single(Zone.Lookup("30.0.42.10.in-addr.arpa", DnsType.Ptr).Records).Value);
        Assert.Equal(DnsOutcome.Forward, Zone.Lookup("1.2.0.192.in-addr.arpa", DnsType.Ptr).Outcome);
        Assert.Equal(DnsOutcome.Forward, Zone.Lookup("example.org", DnsType.A).Outcome);
        Assert.Equal(DnsOutcome.Forward, Zone.Lookup("cluster.local.example.org", DnsType.A).Outcome);
    }

    private static V1Service Service(string name, string clusterIp, params (string Name, string Protocol, int Port)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Ports = [.. ports.Select(p => new V1ServicePort { Name = p.Name, Protocol = p.Protocol, Port = p.Port })] },
    };

    private static V1EndpointSlice Slice(string service, params (string Ip, string? Hostname, bool Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta { Name = service + "-x", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "pg", Protocol = "TCP", Port = 5432 }],
        Endpoints = [.. endpoints.Select(e => new V1Endpoint { Addresses = [e.Ip], Hostname = e.Hostname, Conditions = new V1EndpointConditions { Ready = e.Ready } })],
    };
}
