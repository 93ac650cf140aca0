using Flotilla.Client;
using Flotilla.Client.Tests;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>
/// A real HTTPS API server on 127.0.0.1 with the controller manager running against it under its own certificate,
/// and an admin client for the test: each integration test class gets its own.
/// </summary>
public abstract class ManagedCluster : IAsyncLifetime
{
    private TestApiServer _server = null!;
    private CancellationTokenSource _stop = null!;
    private Task _manager = null!;
    private Task _scheduler = Task.CompletedTask;
    private Kubernetes? _schedulerClient;

    protected Kubernetes Admin { get; private set; } = null!;

    /// <summary>The cluster's certificates (clients for other identities are issued from its CA).</summary>
    protected Flotilla.ApiServer.Auth.ClusterPki Pki => _server.Pki!;

    /// <summary>A client for <paramref name="user"/> in <paramref name="groups"/>, disposed by the caller.</summary>
    protected Kubernetes ClientFor(string user, params string[] groups) =>
        ClusterClients.ForServer(_server.Address, Pki.Ca, Pki.IssueClient(user, groups, TimeProvider.System));

    /// <summary>The controller manager's flags for this class's cluster.</summary>
    protected virtual ControllerManagerOptions Options => new();

    /// <summary>Whether the default scheduler runs too, binding the pods controllers create.</summary>
    protected virtual bool WithScheduler => false;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync(tls: true);
        Admin = ClusterClients.ForServer(_server.Address, _server.Pki!.Ca, _server.Pki.Admin);
        _stop = new CancellationTokenSource();
        var config = ClusterClients.ConfigForServer(_server.Address, _server.Pki.Ca, _server.Pki.Component("controller-manager", TimeProvider.System));
        if (WithScheduler)
        {
            _schedulerClient = ClusterClients.ForServer(_server.Address, _server.Pki.Ca, _server.Pki.Component("scheduler", TimeProvider.System));
            _scheduler = Flotilla.Scheduler.SchedulerHost.RunAsync(_schedulerClient, new Flotilla.Scheduler.SchedulerOptions(), leaderElect: false, NullLoggerFactory.Instance, TimeProvider.System, _stop.Token);
        }

        _manager = ControllerManagerHost.RunAsync(config, Options, leaderElect: true, NullLoggerFactory.Instance, TimeProvider.System, _stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _manager.WaitAsync(TimeSpan.FromSeconds(15));
        await _scheduler.WaitAsync(TimeSpan.FromSeconds(15));
        _schedulerClient?.Dispose();
        _stop.Dispose();
        Admin.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>Reads until <paramref name="done"/> holds (20 s at most), and returns what it read last.</summary>
    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not reached in 20 s; last: {KubernetesJson.Serialize(value)}");
            }

            await Task.Delay(100);
        }
    }
}
