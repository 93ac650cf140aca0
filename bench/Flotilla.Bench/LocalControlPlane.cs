using Flotilla.Client;
using Flotilla.Controllers;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench;

/// <summary>
/// The control plane as <c>flotilla up</c> runs it, in this process: the API server (HTTPS, SQLite in a temp dir), the
/// scheduler and the controller manager, each under its own identity, and an admin client. Ready once the
/// <c>default</c> ServiceAccount exists; disposing stops the components, then the server, and removes the work dir.
/// </summary>
public sealed class LocalControlPlane : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Kubernetes _schedulerClient;
    private readonly Task[] _running;

    private LocalControlPlane(LocalApiServer server, ControllerManagerOptions controllers, CancellationToken cancellationToken)
    {
        Server = server;
        var pki = server.Pki!;
        Admin = ClusterClients.ForServer(server.Address, pki.Ca, pki.Admin);
        WorkDir = Directory.CreateTempSubdirectory("flotilla-bench-work-").FullName;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _schedulerClient = ClusterClients.ForServer(server.Address, pki.Ca, pki.Component("scheduler", TimeProvider.System));
        _running =
        [
            Flotilla.Scheduler.SchedulerHost.RunAsync(_schedulerClient, new Flotilla.Scheduler.SchedulerOptions(), leaderElect: false, NullLoggerFactory.Instance, TimeProvider.System, _stop.Token),
            ControllerManagerHost.RunAsync(ClusterClients.ConfigForServer(server.Address, pki.Ca, pki.Component("controller-manager", TimeProvider.System)), controllers, leaderElect: false, NullLoggerFactory.Instance, TimeProvider.System, _stop.Token),
        ];
    }

    public LocalApiServer Server { get; }

    public Kubernetes Admin { get; }

    /// <summary>A temp dir for the benchmark's files (kubeconfigs, agent logs).</summary>
    public string WorkDir { get; }

    public static async Task<LocalControlPlane> StartAsync(string name, ControllerManagerOptions controllers, CancellationToken cancellationToken)
    {
        var server = await LocalApiServer.StartAsync(name, cancellationToken, tls: true);
        var plane = new LocalControlPlane(server, controllers, cancellationToken);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await plane.Admin.CoreV1.ListNamespacedServiceAccountAsync("default", cancellationToken: cancellationToken)).Items.Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                await plane.DisposeAsync();
                throw new TimeoutException("the default ServiceAccount did not appear in 1 min");
            }

            await Task.Delay(100, cancellationToken);
        }

        return plane;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        _schedulerClient.Dispose();
        Admin.Dispose();
        _stop.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(WorkDir, recursive: true);
    }
}
