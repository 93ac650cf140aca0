using Flotilla.Client.LeaderElection;
using k8s;
using k8s.Models;

namespace Flotilla.Client.Tests.LeaderElection;

/// <summary>
/// Leader election against a real API server on 127.0.0.1 (SQLite in a temp dir), with short leases. Alone in its
/// collection: the storm tests' load beside it would make a renewal miss its deadline.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class LeaderElectorTests : IAsyncLifetime
{
    // Short enough for a quick test, long enough that a renewal survives the other test assemblies' load on two cores.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);
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
        await _server.DisposeAsync();
    }

    private LeaderElector Candidate(string identity, bool release = true) => new(_client, new LeaderElectionConfig
    {
        Namespace = "kube-system",
        Name = "test-leader",
        Identity = identity,
        LeaseDuration = Lease,
        RenewDeadline = TimeSpan.FromSeconds(6),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
        ReleaseOnCancel = release,
    }, TimeProvider.System);

    private static Task Run(LeaderElector candidate, TaskCompletionSource leading, CancellationToken stop) =>
        candidate.RunAsync(async token =>
        {
            leading.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        }, stop);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExactlyOneLeads_AndTheOtherTakesOverWithinTheLeaseWhenItStops(bool release)
    {
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var a = Candidate("a", release);
        var b = Candidate("b", release);
        var aLeads = new TaskCompletionSource();
        var bLeads = new TaskCompletionSource();
        var runA = Run(a, aLeads, stopA.Token);
        await aLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var runB = Run(b, bLeads, stopB.Token);

        await Task.Delay(Lease + TimeSpan.FromSeconds(1));  // longer than a lease: a renews, b must not take over
        Assert.False(bLeads.Task.IsCompleted, "b took over while a was renewing");
        var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync("test-leader", "kube-system");
        Assert.Equal("a", lease.Spec.HolderIdentity);

        var stopped = DateTime.UtcNow;
        await stopA.CancelAsync();
        await runA.WaitAsync(TimeSpan.FromSeconds(10));
        await bLeads.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var handover = DateTime.UtcNow - stopped;
        // Released: b's next retry takes it. Not released: it expires a lease after a's last renewal, which was before the stop.
        Assert.True(handover < (release ? TimeSpan.FromSeconds(3) : Lease + TimeSpan.FromSeconds(2)), $"handover took {handover}");

        lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync("test-leader", "kube-system");
        Assert.Equal(("b", 1), (lease.Spec.HolderIdentity, lease.Spec.LeaseTransitions));
        await stopB.CancelAsync();
        await runB.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
