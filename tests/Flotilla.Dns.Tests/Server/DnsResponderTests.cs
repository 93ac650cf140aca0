using System.Diagnostics;
using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Flotilla.Dns.Records;
using Flotilla.Dns.Server;
using k8s.Models;

namespace Flotilla.Dns.Tests.Server;

public sealed class DnsResponderTests
{
    private static readonly ClusterDnsOptions Options = new();

    private static readonly ZoneSnapshot Zone = new(
        ClusterRecords.Build(
            "cluster.local",
            [
                Service("web", "10.43.0.20", ("http", 80)),
                Service("db", "None", ("pg", 5432)),
                new V1Service { Metadata = new V1ObjectMeta { Name = "alias", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "web.default.svc.cluster.local" } },
                new V1Service { Metadata = new V1ObjectMeta { Name = "out", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "example.test" } },
                new V1Service { Metadata = new V1ObjectMeta { Name = "chain", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "alias.default.svc.cluster.local" } },
                new V1Service { Metadata = new V1ObjectMeta { Name = "dangling", NamespaceProperty = "default" }, Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "gone.default.svc.cluster.local" } },
            ],
            [
                new V1EndpointSlice
                {
                    Metadata = new V1ObjectMeta { Name = "db-x", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "db" } },
                    AddressType = "IPv4",
                    Ports = [new Discoveryv1EndpointPort { Name = "pg", Port = 5432, Protocol = "TCP" }],
                    Endpoints = [new V1Endpoint { Addresses = ["10.42.0.7"], Hostname = "db-0", Conditions = new V1EndpointConditions { Ready = true } }],
                },
            ],
            []),
        1234);

    [Fact]
    public async Task AServiceName_IsAnsweredWithAuthority_AndTheTtlOfFiveSeconds()
    {
        var response = await AskAsync("web.default.svc.cluster.local", RecordType.A);

        Assert.Equal(ReturnCode.NoError, response.ReturnCode);
        Assert.True(response.IsAuthoritiveAnswer);
        Assert.True(response.IsRecursionAllowed);
        var a = Assert.IsType<ARecord>(Assert.Single(response.AnswerRecords));
        Assert.Equal(IPAddress.Parse("10.43.0.20"), a.Address);
        Assert.Equal(5, a.TimeToLive);
    }

    [Fact]
    public async Task NoSuchName_AndNoSuchType_CarryTheZonesSoa_ForNegativeCaching()
    {
        var missing = await AskAsync("nope.default.svc.cluster.local", RecordType.A);
        var noAaaa = await AskAsync("web.default.svc.cluster.local", RecordType.Aaaa);

        Assert.Equal(ReturnCode.NxDomain, missing.ReturnCode);
        Assert.Equal(ReturnCode.NoError, noAaaa.ReturnCode);
        Assert.Empty(noAaaa.AnswerRecords);
        foreach (var response in new[] { missing, noAaaa })
        {
            var soa = Assert.IsType<SoaRecord>(Assert.Single(response.AuthorityRecords));
            Assert.Equal("ns.dns.cluster.local.", soa.MasterName.ToString());
            Assert.Equal("hostmaster.cluster.local.", soa.ResponsibleName.ToString());
            Assert.Equal((1234u, 7200, 1800, 86400, 5), (soa.SerialNumber, soa.RefreshInterval, soa.RetryInterval, soa.ExpireInterval, soa.NegativeCachingTTL));
        }

        Assert.IsType<SoaRecord>(Assert.Single((await AskAsync("cluster.local", RecordType.Soa)).AnswerRecords));
    }

    [Fact]
    public async Task AnExternalName_IsFollowed_InTheZoneFromMemory_OutsideItUpstream()
    {
        using var upstream = new FakeUpstream();

        var inZone = await AskAsync("alias.default.svc.cluster.local", RecordType.A);
        var outside = await AskAsync("out.default.svc.cluster.local", RecordType.A, upstream);

        Assert.Equal(["CName web.default.svc.cluster.local.", "A 10.43.0.20"], inZone.AnswerRecords.Select(Describe));
        Assert.Equal(["CName example.test.", "A 192.0.2.1"], outside.AnswerRecords.Select(Describe));
    }

    [Fact]
    public async Task CnameChains_AreFollowed_AndEndWithTheLastNamesCode()
    {
        var chain = await AskAsync("chain.default.svc.cluster.local", RecordType.A);
        var dangling = await AskAsync("dangling.default.svc.cluster.local", RecordType.A);
        var noAaaa = await AskAsync("alias.default.svc.cluster.local", RecordType.Aaaa);

        Assert.Equal(["CName alias.default.svc.cluster.local.", "CName web.default.svc.cluster.local.", "A 10.43.0.20"], chain.AnswerRecords.Select(Describe));
        Assert.Equal(ReturnCode.NxDomain, dangling.ReturnCode);
        Assert.Equal(["CName gone.default.svc.cluster.local."], dangling.AnswerRecords.Select(Describe));
        Assert.IsType<SoaRecord>(Assert.Single(dangling.AuthorityRecords));
        Assert.Equal(ReturnCode.NoError, noAaaa.ReturnCode);
        Assert.IsType<SoaRecord>(Assert.Single(noAaaa.AuthorityRecords));
    }

    [Fact]
    public async Task TheZonesNameServer_IsTheListeningAddress()
    {
        var address = await AskAsync("ns.dns.cluster.local", RecordType.A);
        var ns = await AskAsync("cluster.local", RecordType.Ns);

        Assert.Equal(["A 10.43.0.10"], address.AnswerRecords.Select(Describe));
        Assert.Equal("ns.dns.cluster.local.", Assert.IsType<NsRecord>(Assert.Single(ns.AnswerRecords)).NameServer.ToString());
        Assert.Equal(["A 10.43.0.10"], ns.AdditionalRecords.Select(Describe));
    }

    [Fact]
    public async Task SrvAnswers_BringTheirTargetsAddresses()
    {
        var response = await AskAsync("_pg._tcp.db.default.svc.cluster.local", RecordType.Srv);

        var srv = Assert.IsType<SrvRecord>(Assert.Single(response.AnswerRecords));
        Assert.Equal(("db-0.db.default.svc.cluster.local.", 5432), (srv.Target.ToString(), (int)srv.Port));
        Assert.Equal(["A 10.42.0.7"], response.AdditionalRecords.Select(Describe));
    }

    [Fact]
    public async Task OtherNames_AreForwarded_AndWithoutAnUpstream_FailAtOnce()
    {
        using var upstream = new FakeUpstream();

        var known = await AskAsync("example.test", RecordType.A, upstream);
        var unknown = await AskAsync("nothing.test", RecordType.A, upstream);
        var clock = Stopwatch.StartNew();
        var alone = await AskAsync("example.test", RecordType.A);

        Assert.Equal(["A 192.0.2.1"], known.AnswerRecords.Select(Describe));
        Assert.False(known.IsAuthoritiveAnswer);
        Assert.Equal(ReturnCode.NxDomain, unknown.ReturnCode);
        Assert.Equal(ReturnCode.ServerFailure, alone.ReturnCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AnUpstreamThatNeverAnswers_GivesServfail_WithinTheTimeout()
    {
        using var silent = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var options = Options with { UpstreamTimeout = TimeSpan.FromMilliseconds(500) };
        var responder = new DnsResponder(options, () => Zone, new Upstream([IPAddress.Loopback], port, options.UpstreamTimeout));
        var clock = Stopwatch.StartNew();

        var response = await responder.AnswerAsync(Query("example.test", RecordType.A), CancellationToken.None);

        Assert.Equal(ReturnCode.ServerFailure, response.ReturnCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task AQueryWithoutOneQuestion_IsAFormatError()
    {
        var responder = new DnsResponder(Options, () => Zone, new Upstream([], 53, Options.UpstreamTimeout));

        var response = await responder.AnswerAsync(new DnsMessage(), CancellationToken.None);

        Assert.Equal(ReturnCode.FormatError, response.ReturnCode);
    }

    private static Task<DnsMessage> AskAsync(string name, RecordType type, FakeUpstream? upstream = null)
    {
        var responder = new DnsResponder(Options, () => Zone, upstream is null ? new Upstream([], 53, Options.UpstreamTimeout) : new Upstream([IPAddress.Loopback], upstream.Port, Options.UpstreamTimeout));
        return responder.AnswerAsync(Query(name, type), CancellationToken.None);
    }

    private static DnsMessage Query(string name, RecordType type)
    {
        var query = new DnsMessage { IsRecursionDesired = true };
        query.Questions.Add(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet));
        return query;
    }

    private static string Describe(DnsRecordBase record) => record switch
    {
        ARecord a => $"A {a.Address}",
        CNameRecord c => $"CName {c.CanonicalName}",
        _ => record.ToString(),
    };

    private static V1Service Service(string name, string clusterIp, params (string Name, int Port)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, Type = "ClusterIP", Ports = [.. ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Port, Protocol = "TCP" })] },
    };
}
