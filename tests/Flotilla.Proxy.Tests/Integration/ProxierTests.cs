using Flotilla.Proxy.Iptables;
using Flotilla.Proxy.Model;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Proxy.Tests.Integration;

/// <summary>The proxier's rules in a real kernel (a network namespace of the test's): traffic to a ClusterIP and a NodePort reaches the endpoints, a service without endpoints refuses, a change is a partial sync, cleanup leaves nothing.</summary>
public sealed class ProxierTests : IAsyncLifetime
{
    private NodeNamespace _node = null!;

    public Task InitializeAsync()
    {
        _node = NodeNamespace.Create();
        _node.Serve("10.42.0.5", 8080, "pod-a");
        _node.Serve("10.42.0.6", 8080, "pod-b");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Services_AreReachable_ThroughTheRules_AndCleanupRemovesThem()
    {
        var options = new ProxyOptions { NodeName = "n1", NetworkNamespace = _node.Path, HealthzEndpoint = null };
        var iptables = new IptablesRunner(_node.Path);
        var metrics = new ProxyMetrics();
        var proxier = new Proxier(iptables, new ProxyRules(options.ClusterCidr), options, metrics, NullLogger.Instance, TimeProvider.System);
        var services = new[] { Objects.Service("web", "10.43.0.20", type: "NodePort", nodePort: 30080), Objects.Service("empty", "10.43.0.21") };

        await proxier.SyncAsync(ProxyState.Build(services, [Objects.Slice("web", 8080, ("10.42.0.5", "n1", true), ("10.42.0.6", "n1", true))], "n1"), CancellationToken.None);

        // Both endpoints answer through the ClusterIP, and through the NodePort on 127.0.0.1.
        var seen = new HashSet<string?>();
        for (var i = 0; i < 40 && seen.Count < 2; i++)
        {
            seen.Add(await _node.GetAsync("http://10.43.0.20/"));
        }

        Assert.Equal(["pod-a", "pod-b"], seen.Order(StringComparer.Ordinal));
        Assert.StartsWith("pod-", await _node.GetAsync("http://127.0.0.1:30080/"), StringComparison.Ordinal);

        // No endpoints: rejected (inside this namespace the ICMP answer gets lost: the E2E tests see the refusal on a real node).
        Assert.Null(await _node.GetAsync("http://10.43.0.21/"));
        Assert.Contains("-A FLOTILLA-SERVICES -d 10.43.0.21/32 -p tcp -m comment --comment \"default/empty:http has no endpoints\" -m tcp --dport 80 -j REJECT", await _node.RulesAsync(), StringComparison.Ordinal);

        // One endpoint goes: a partial sync, after which only the other answers.
        await proxier.SyncAsync(ProxyState.Build(services, [Objects.Slice("web", 8080, ("10.42.0.5", "n1", true))], "n1"), CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("pod-a", await _node.GetAsync("http://10.43.0.20/"));
        }

        var rules = await _node.RulesAsync();
        Assert.DoesNotContain("10.42.0.6", rules, StringComparison.Ordinal);
        Assert.Single(rules.Split('\n'), l => l.StartsWith("-A PREROUTING", StringComparison.Ordinal) && l.Contains("FLOTILLA-SERVICES", StringComparison.Ordinal));
        Assert.Contains("kubeproxy_sync_proxy_rules_duration_seconds_count 2", metrics.Text(), StringComparison.Ordinal);

        await ProxyCleanup.RemoveAsync(iptables, CancellationToken.None);
        Assert.DoesNotContain("FLOTILLA", await _node.RulesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadRestore_FailsTheSync_AndTheNextOneIsFull()
    {
        var options = new ProxyOptions { NodeName = "n1", NetworkNamespace = _node.Path, HealthzEndpoint = null };
        var metrics = new ProxyMetrics();
        var broken = new Proxier(new IptablesRunner(_node.Path), new ProxyRules("10.42.0.0/99"), options, metrics, NullLogger.Instance, TimeProvider.System);
        var state = ProxyState.Build([Objects.Service("web", "10.43.0.20")], [Objects.Slice("web", 8080, ("10.42.0.5", "n1", true))], "n1");

        var e = await Assert.ThrowsAsync<IptablesException>(() => broken.SyncAsync(state, CancellationToken.None));

        Assert.Contains("iptables-restore", e.Message, StringComparison.Ordinal);
        Assert.Contains("restore_failures_total 1", metrics.Text(), StringComparison.Ordinal);
        Assert.DoesNotContain("FLOTILLA-SVC-", await _node.RulesAsync(), StringComparison.Ordinal);
    }
}
