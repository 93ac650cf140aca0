using Flotilla.Client.Tests;
using Flotilla.Scheduler.Tests.Testing;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Scheduler.Tests.Integration;

/// <summary>Two scheduler replicas on one API server: one holds the kube-scheduler Lease and schedules; when it stops, the other takes over.</summary>
public sealed class SchedulerHostTests : IAsyncLifetime
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
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Replicas_ElectOneScheduler_AndTheOtherSchedulesOnceItStops()
    {
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var first = SchedulerHost.RunAsync(_client, new SchedulerOptions(), leaderElect: true, NullLoggerFactory.Instance, TimeProvider.System, stopFirst.Token);
        var leader = await HolderAsync(h => h is not null);
        var second = SchedulerHost.RunAsync(_client, new SchedulerOptions(), leaderElect: true, NullLoggerFactory.Instance, TimeProvider.System, stopSecond.Token);

        var node = Make.Node("n1");
        node.Metadata.Uid = null;
        await _client.CoreV1.CreateNodeAsync(node);
        await ScheduledAsync("before");
        Assert.Equal(leader, await HolderAsync(_ => true));

        await stopFirst.CancelAsync();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        var next = await HolderAsync(h => h is not null && h != leader);
        await ScheduledAsync("after");
        Assert.NotEqual(leader, next);

        await stopSecond.CancelAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<string?> HolderAsync(Func<string?, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            string? holder = null;
            try
            {
                holder = (await _client.CoordinationV1.ReadNamespacedLeaseAsync(SchedulerHost.LeaseName, "kube-system")).Spec.HolderIdentity;
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // Not created yet.
            }

            if (condition(holder))
            {
                return holder;
            }

            Assert.True(DateTime.UtcNow < deadline, $"lease holder still {holder ?? "none"}");
            await Task.Delay(100);
        }
    }

    private async Task ScheduledAsync(string name)
    {
        var pod = Make.Pod(name);
        pod.Metadata.Uid = null;
        pod.Status = null;
        await _client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (string.IsNullOrEmpty((await _client.CoreV1.ReadNamespacedPodAsync(name, "default")).Spec.NodeName))
        {
            Assert.True(DateTime.UtcNow < deadline, $"pod {name} not scheduled");
            await Task.Delay(100);
        }
    }
}
