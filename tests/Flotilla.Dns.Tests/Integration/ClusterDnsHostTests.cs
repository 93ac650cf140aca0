using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Flotilla.Client.Tests;
using Flotilla.Dns.Tests.Server;
using Flotilla.Tests.Shared;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Dns.Tests.Integration;

/// <summary>The cluster DNS against a real API server, asked over UDP and TCP on 127.0.0.1: services come and go in its answers, other names go upstream.</summary>
public sealed class ClusterDnsHostTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString() });
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServicesAnswer_OverUdpAndTcp_ChangesFollow_OtherNamesGoUpstream()
    {
        using var upstream = new FakeUpstream();
        using var stop = new CancellationTokenSource();
        var listen = new IPEndPoint(IPAddress.Loopback, FreePorts.One());
        var started = new TaskCompletionSource<IPEndPoint>();
        var options = new ClusterDnsOptions { Listen = listen, Upstreams = [IPAddress.Loopback], UpstreamPort = upstream.Port };
        var dns = ClusterDnsHost.RunAsync(_client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, started.SetResult);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var service = await _client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80 }] } },
            "default");

        using var udp = new DnsClient([IPAddress.Loopback], [new UdpClientTransport(listen.Port)], true, 2000);
        using var tcp = new DnsClient([IPAddress.Loopback], [new TcpClientTransport(listen.Port)], true, 2000);
        foreach (var client in new[] { udp, tcp })
        {
            var answer = await EventuallyAsync(() => AskAsync(client, "web.default.svc.cluster.local", RecordType.A), m => m.AnswerRecords.Count == 1);
            Assert.Equal(service.Spec.ClusterIP, ((ARecord)answer.AnswerRecords[0]).Address.ToString());
            var srv = await AskAsync(client, "_http._tcp.web.default.svc.cluster.local", RecordType.Srv);
            Assert.Equal(80, ((SrvRecord)Assert.Single(srv.AnswerRecords)).Port);
            Assert.Equal("192.0.2.1", ((ARecord)Assert.Single((await AskAsync(client, "example.test", RecordType.A)).AnswerRecords)).Address.ToString());
        }

        await _client.CoreV1.DeleteNamespacedServiceAsync("web", "default");
        Assert.Equal(ReturnCode.NxDomain, (await EventuallyAsync(() => AskAsync(udp, "web.default.svc.cluster.local", RecordType.A), m => m.ReturnCode == ReturnCode.NxDomain)).ReturnCode);

        await stop.CancelAsync();
        await dns;
    }

    [Fact]
    public async Task WhileItsAddressIsTaken_TheDnsWaits_ThenServes()
    {
        var port = FreePorts.One();
        var taken = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource<IPEndPoint>();
        var options = new ClusterDnsOptions { Listen = new IPEndPoint(IPAddress.Loopback, port) };
        var dns = ClusterDnsHost.RunAsync(_client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, started.SetResult);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(started.Task.IsCompleted);
        taken.Dispose();
        await started.Task.WaitAsync(ClusterDnsHost.BindRetry * 3);
        using var udp = new DnsClient([IPAddress.Loopback], [new UdpClientTransport(port)], true, 2000);
        Assert.Equal("1.1.0", ((TxtRecord)Assert.Single((await AskAsync(udp, "dns-version.cluster.local", RecordType.Txt)).AnswerRecords)).TextData);

        await stop.CancelAsync();
        await dns;
    }

    [Fact]
    public async Task Restricted_ItRefusesSourcesOutsideItsNetworks_UntilANodeHasTheAddress()
    {
        using var stop = new CancellationTokenSource();
        var port = FreePorts.One();
        var started = new TaskCompletionSource<IPEndPoint>();
        var options = new ClusterDnsOptions { Listen = new IPEndPoint(IPAddress.Loopback, port), AllowedSources = [IPNetwork.Parse("10.42.0.0/16")] };
        var dns = ClusterDnsHost.RunAsync(_client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, started.SetResult);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var udp = new DnsClient([IPAddress.Loopback], [new UdpClientTransport(port)], true, 2000);

        Assert.Equal(ReturnCode.Refused, (await AskAsync(udp, "dns-version.cluster.local", RecordType.Txt)).ReturnCode);

        // A node at 127.0.0.1: its (masqueraded) pods' queries come from there.
        await _client.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "dns-client" } });
        await _client.CoreV1.PatchNodeStatusAsync(new V1Patch("""{"status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}]}}""", V1Patch.PatchType.MergePatch), "dns-client");
        var answer = await EventuallyAsync(() => AskAsync(udp, "dns-version.cluster.local", RecordType.Txt), m => m.ReturnCode == ReturnCode.NoError);
        Assert.Equal("1.1.0", ((TxtRecord)Assert.Single(answer.AnswerRecords)).TextData);

        await _client.CoreV1.DeleteNodeAsync("dns-client");
        Assert.Equal(ReturnCode.Refused, (await EventuallyAsync(() => AskAsync(udp, "dns-version.cluster.local", RecordType.Txt), m => m.ReturnCode == ReturnCode.Refused)).ReturnCode);

        await stop.CancelAsync();
        await dns;
    }

    private static async Task<DnsMessage> AskAsync(DnsClient client, string name, RecordType type) =>
        await client.ResolveAsync(DomainName.Parse(name), type) ?? throw new InvalidOperationException($"no answer for {name}");

    private static async Task<DnsMessage> EventuallyAsync(Func<Task<DnsMessage>> ask, Func<DnsMessage, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var answer = await ask();
            if (done(answer) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }
}
