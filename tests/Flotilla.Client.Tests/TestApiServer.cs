using System.Net;
using Flotilla.ApiServer;
using Flotilla.ApiServer.Auth;
using Flotilla.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.Client.Tests;

/// <summary>
/// A real API server on 127.0.0.1 (a port the kernel picks) over SQLite in a temp dir, plain HTTP or — with
/// <c>tls</c> — HTTPS with the cluster PKI and authentication on, as <c>flotilla</c> serves it.
/// </summary>
public sealed class TestApiServer : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-client-" + Guid.NewGuid().ToString("N")[..12]);
    private SqliteStore? _store;
    private WebApplication? _app;

    private TestApiServer()
    {
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>The cluster's certificates (with <c>tls</c> only).</summary>
    public ClusterPki? Pki { get; private set; }

    public string Dir => _dir;

    /// <summary>The <c>default</c> ServiceAccount pods in <paramref name="ns"/> run as (no controller manager here).</summary>
    public Task AddDefaultServiceAccountAsync(string ns) => Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(_app!.Services, ns);

    /// <summary>Forgets the store's history before <paramref name="revision"/>, as etcd's compaction does.</summary>
    public Task CompactAsync(long revision) => _store!.CompactAsync(revision);

    /// <param name="watchCacheSize">Changes each watch cache keeps: small to make watches expire (410).</param>
    public static async Task<TestApiServer> StartAsync(bool tls = false, int watchCacheSize = 10_000)
    {
        var server = new TestApiServer();
        try
        {
            await server.StartCoreAsync(tls, watchCacheSize);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(bool tls, int watchCacheSize)
    {
        Pki = tls ? ClusterPki.LoadOrCreate(Path.Combine(_dir, "tls"), [], TimeProvider.System) : null;
        _store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_dir, "state.db") });
        _app = ApiServerHost.Build(new ApiServerOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Tls = Pki is null ? null : new ApiServerTls(Pki.Server, Pki.Ca),
            Kubelet = Pki is null ? new(null, null) : new(Pki.Component("apiserver-kubelet-client", TimeProvider.System), Pki.Ca),
            WatchCacheSize = watchCacheSize,

            // Kubelets are read every second where there may be some (the metrics API's tests); never without TLS.
            MetricResolution = tls ? TimeSpan.FromSeconds(1) : TimeSpan.Zero,
        }, _store);
        await _app.StartAsync();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await ApiServerHost.BootstrapAsync(_app, new IPEndPoint(IPAddress.Loopback, Address.Port), CancellationToken.None);
        await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(_app.Services);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
