using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.ApiServer;
using Flotilla.ApiServer.Auth;
using Flotilla.Storage.Sqlite;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.Client.Tests;

/// <summary>Clients made both ways talk to a real HTTPS API server on 127.0.0.1 as the identity they were given.</summary>
public sealed class ClusterClientsTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-clients-" + Guid.NewGuid().ToString("N")[..12]);
    private SqliteStore? _store;
    private WebApplication? _app;
    private ClusterPki _pki = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _pki = ClusterPki.LoadOrCreate(Path.Combine(_dir, "tls"), [], TimeProvider.System);
        _store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_dir, "state.db") });
        _app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Tls = new ApiServerTls(_pki.Server, _pki.Ca) }, _store);
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        await ApiServerHost.BootstrapAsync(_app, new IPEndPoint(IPAddress.Loopback, _address.Port), CancellationToken.None);
    }

    public async Task DisposeAsync()
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

    [Fact]
    public async Task ForServer_ActsAsTheCertificatesIdentity_WithWhatRbacGivesIt()
    {
        using var scheduler = ClusterClients.ForServer(_address, _pki.Ca, _pki.Component("scheduler", TimeProvider.System));
        var me = await scheduler.AuthenticationV1.CreateSelfSubjectReviewAsync(new k8s.Models.V1SelfSubjectReview());
        Assert.Equal("system:kube-scheduler", me.Status.UserInfo.Username);
        Assert.NotNull(await scheduler.CoreV1.ListNodeAsync());  // the scheduler's role lists nodes
        var denied = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => scheduler.CoreV1.ListNamespacedSecretAsync("kube-system"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Response.StatusCode);
    }

    [Fact]
    public async Task FromKubeconfig_ReadsTheFileAndItsEmbeddedCredentials()
    {
        string B64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
        var path = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {_address}
                certificate-authority-data: {B64(_pki.Ca.ExportCertificatePem())}
            contexts:
            - name: c
              context:
                cluster: c
                user: admin
            current-context: c
            users:
            - name: admin
              user:
                client-certificate-data: {B64(_pki.Admin.ExportCertificatePem())}
                client-key-data: {B64(_pki.Admin.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem())}
            """);
        using var admin = ClusterClients.FromKubeconfig(path);
        Assert.Contains((await admin.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "kube-system");
    }
}
