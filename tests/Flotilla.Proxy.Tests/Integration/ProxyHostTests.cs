using System.Net;
using Flotilla.Client.Tests;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Proxy.Tests.Integration;

/// <summary>The proxy against a real API server: a Service and its EndpointSlice become rules in the node's namespace, a change follows within a sync, and /healthz and /metrics answer.</summary>
public sealed class ProxyHostTests : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private Kubernetes _client = null!;
    private NodeNamespace _node = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString() });
        _node = NodeNamespace.Create();
        _node.Serve("10.42.0.5", 8080, "pod-a");
        _node.Serve("10.42.0.6", 8080, "pod-b");
    }

    /// <summary>Runs after a failed start too: whatever was made is removed.</summary>
    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ServicesAndSlices_BecomeRules_ChangesFollow_HealthAndMetricsAnswer()
    {
        using var stop = new CancellationTokenSource();
        var health = new TaskCompletionSource<IPEndPoint>();
        var options = new ProxyOptions { NodeName = "n1", NetworkNamespace = _node.Path, HealthzEndpoint = new IPEndPoint(IPAddress.Loopback, 0) };
        var proxy = ProxyHost.RunAsync(_client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, health.SetResult);
        var service = Objects.Service("web", "10.43.0.20");
        service.Spec.ClusterIPs = null;
        await _client.CoreV1.CreateNamespacedServiceAsync(service, "default");
        var clusterIp = (await _client.CoreV1.ReadNamespacedServiceAsync("web", "default")).Spec.ClusterIP;
        var slice = Objects.Slice("web", 8080, ("10.42.0.5", "n1", true));
        await _client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, "default");

        Assert.Equal("pod-a", await EventuallyAsync(() => _node.GetAsync($"http://{clusterIp}/"), v => v == "pod-a"));

        slice = await _client.DiscoveryV1.ReadNamespacedEndpointSliceAsync(slice.Metadata.Name, "default");
        slice.Endpoints[0].Addresses = ["10.42.0.6"];
        await _client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, slice.Metadata.Name, "default");
        Assert.Equal("pod-b", await EventuallyAsync(() => _node.GetAsync($"http://{clusterIp}/"), v => v == "pod-b"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://{await health.Task}") };
        using var healthz = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Matches("""^\{"lastUpdated": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \+0000 UTC","currentTime": "[^"]+", "nodeEligible": true\}$""", await healthz.Content.ReadAsStringAsync());
        Assert.Contains("kubeproxy_sync_proxy_rules_iptables_total{table=\"nat\"}", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        await stop.CancelAsync();
        await proxy;
    }

    [Fact]
    public async Task WithItsHealthPortTaken_TheProxyStillWritesTheRules()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var stop = new CancellationTokenSource();
        var options = new ProxyOptions { NodeName = "n1", NetworkNamespace = _node.Path, HealthzEndpoint = (IPEndPoint)taken.LocalEndpoint };
        var proxy = ProxyHost.RunAsync(_client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token);
        var service = Objects.Service("web", "10.43.0.20");
        service.Spec.ClusterIPs = null;
        service.Spec.ClusterIP = null;
        await _client.CoreV1.CreateNamespacedServiceAsync(service, "default");
        var clusterIp = (await _client.CoreV1.ReadNamespacedServiceAsync("web", "default")).Spec.ClusterIP;
        await _client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Objects.Slice("web", 8080, ("10.42.0.5", "n1", true)), "default");

        Assert.Equal("pod-a", await EventuallyAsync(() => _node.GetAsync($"http://{clusterIp}/"), v => v == "pod-a"));
        Assert.False(proxy.IsCompleted);
        await stop.CancelAsync();
        await proxy;
    }

    private static async Task<string?> EventuallyAsync(Func<Task<string?>> read, Func<string?, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
