using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.ServiceAccounts;
using Flotilla.ApiServer.Auth.Tokens;
using Flotilla.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Tests.Integration;

/// <summary>
/// A real API server as <c>flotilla</c> serves it — HTTPS, the cluster PKI in a temp dir, authentication and
/// authorization on — on 127.0.0.1 over SQLite, with its ServiceAccount signing key and a static token file
/// (<see cref="StaticToken"/>). Clients are made per identity (a client certificate or a token).
/// A derived fixture can change the server's options (<see cref="Configure"/>).
/// </summary>
public class SecureApiServerFixture : IAsyncLifetime
{
    /// <summary>The token file's token for user <c>alice</c> (UID 42, groups <c>dev</c> and <c>ops</c>).</summary>
    public const string StaticToken = "static-token-for-alice";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-secure-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<HttpClient> _clients = [];
    private SqliteStore? _store;
    private ServiceAccountKey? _serviceAccountKey;

    public WebApplication App { get; private set; } = null!;

    public ClusterPki Pki { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public string DataDir => _dir;

    /// <summary>A client authenticated as the cluster admin (system:masters).</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            Pki = ClusterPki.LoadOrCreate(Path.Combine(_dir, "tls"), [], TimeProvider.System);
            _store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_dir, "state.db") });
            _serviceAccountKey = ServiceAccountKey.LoadOrCreate(Path.Combine(_dir, "tls"));
            var tokenFile = Path.Combine(_dir, "tokens.csv");
            await File.WriteAllTextAsync(tokenFile, $"{StaticToken},alice,42,\"dev,ops\"\n");
            App = ApiServerHost.Build(
                Configure(new ApiServerOptions
                {
                    Listen = new IPEndPoint(IPAddress.Loopback, 0),
                    Tls = new ApiServerTls(Pki.Server, Pki.Ca),
                    Authentication = new AuthenticationOptions { ServiceAccountKey = _serviceAccountKey, TokenFile = TokenFile.Load(tokenFile) },
                }),
                _store);
            await App.StartAsync();
            var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Address = new Uri(address);
            await ApiServerHost.BootstrapAsync(App, new IPEndPoint(IPAddress.Loopback, Address.Port), CancellationToken.None);
            await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(App.Services);
            Admin = Client(Pki.Admin);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A client presenting a certificate the cluster CA issued for <paramref name="user"/> in <paramref name="groups"/>.</summary>
    public HttpClient ClientFor(string user, params string[] groups) => Client(Pki.IssueClient(user, groups, TimeProvider.System));

    /// <summary>A client presenting <paramref name="certificate"/> (or nothing) and, when given, a bearer token.</summary>
    public HttpClient Client(X509Certificate2? certificate, string? bearerToken = null)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && new X509Certificate2(cert).Thumbprint == Pki.Server.Thumbprint;
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        var client = new HttpClient(handler) { BaseAddress = Address };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    /// <summary>The options the server starts with; the base fixture's are HTTPS on an ephemeral port.</summary>
    protected virtual ApiServerOptions Configure(ApiServerOptions options) => options;

    public async Task DisposeAsync()
    {
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _serviceAccountKey?.Dispose();

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
