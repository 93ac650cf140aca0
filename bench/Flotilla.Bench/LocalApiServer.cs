using System.Net;
using Flotilla.ApiServer;
using Flotilla.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.Bench;

/// <summary>
/// The API server in this process, plain HTTP on 127.0.0.1 (a port the kernel picks) over SQLite in a temp dir,
/// bootstrapped; disposing stops it and deletes the dir.
/// </summary>
public sealed class LocalApiServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly SqliteStore _store;
    private readonly WebApplication _app;

    private LocalApiServer(string name)
    {
        _dir = Path.Combine(Path.GetTempPath(), $"flotilla-bench-{name}-" + Guid.NewGuid().ToString("N")[..8]);
        _store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_dir, "state.db") });
        _app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, _store);
    }

    public Uri Address { get; private set; } = null!;

    public static async Task<LocalApiServer> StartAsync(string name, CancellationToken cancellationToken)
    {
        var server = new LocalApiServer(name);
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
