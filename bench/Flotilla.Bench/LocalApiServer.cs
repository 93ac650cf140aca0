using System.Net;
using Flotilla.ApiServer;
using Flotilla.ApiServer.Auth;
using Flotilla.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.Bench;

/// <summary>
/// The API server in this process on 127.0.0.1 (a port the kernel picks) over SQLite in a temp dir, bootstrapped:
/// plain HTTP, or with <c>tls</c> HTTPS with the cluster PKI and authentication on, as <c>flotilla</c> serves it.
/// Disposing stops it and deletes the dir.
/// </summary>
public sealed class LocalApiServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly SqliteStore _store;
    private readonly WebApplication _app;

    private LocalApiServer(string name, bool tls)
    {
        _dir = Path.Combine(Path.GetTempPath(), $"flotilla-bench-{name}-" + Guid.NewGuid().ToString("N")[..8]);
        Pki = tls ? ClusterPki.LoadOrCreate(Path.Combine(_dir, "tls"), [], TimeProvider.System) : null;
        _store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_dir, "state.db") });
        _app = ApiServerHost.Build(
            new ApiServerOptions
            {
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Tls = Pki is null ? null : new ApiServerTls(Pki.Server, Pki.Ca),

                // As `up` has it: kubelets (the real node's) reached with the API server's own client certificate.
                Kubelet = Pki is null ? new(null, null) : new(Pki.Component("apiserver-kubelet-client", TimeProvider.System), Pki.Ca),
            },
            _store);
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>The cluster's certificates (with <c>tls</c> only).</summary>
    public ClusterPki? Pki { get; }

    public static async Task<LocalApiServer> StartAsync(string name, CancellationToken cancellationToken, bool tls = false)
    {
        var server = new LocalApiServer(name, tls);
        try
        {
            await server._app.StartAsync(cancellationToken);
            server.Address = new Uri(server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            await ApiServerHost.BootstrapAsync(server._app, new IPEndPoint(IPAddress.Loopback, server.Address.Port), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
