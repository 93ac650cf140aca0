using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.ApiServer.Auth;
using k8s;

namespace Flotilla.Client.Tests;

/// <summary>Clients made both ways talk to a real HTTPS API server on 127.0.0.1 as the identity they were given.</summary>
public sealed class ClusterClientsTests : IAsyncLifetime
{
    private TestApiServer _server = null!;

    public async Task InitializeAsync() => _server = await TestApiServer.StartAsync(tls: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ForServer_ActsAsTheCertificatesIdentity_WithWhatRbacGivesIt()
    {
        using var scheduler = ClusterClients.ForServer(_server.Address, _server.Pki!.Ca, _server.Pki!.Component("scheduler", TimeProvider.System));
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
        var path = Path.Combine(_server.Dir, "kubeconfig");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {_server.Address}
                certificate-authority-data: {B64(_server.Pki!.Ca.ExportCertificatePem())}
            contexts:
            - name: c
              context:
                cluster: c
                user: admin
            current-context: c
            users:
            - name: admin
              user:
                client-certificate-data: {B64(_server.Pki!.Admin.ExportCertificatePem())}
                client-key-data: {B64(_server.Pki!.Admin.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem())}
            """);
        using var admin = ClusterClients.FromKubeconfig(path);
        Assert.Contains((await admin.CoreV1.ListNamespaceAsync()).Items, n => n.Metadata.Name == "kube-system");
    }
}
