using System.Security.Cryptography.X509Certificates;
using Flotilla.ApiServer.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Auth;

public sealed class ClientCertificateAuthenticatorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-pki-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Authenticate_ClusterSignedCertificate_UserIsCnGroupsAreO()
    {
        var pki = ClusterPki.LoadOrCreate(_dir, [], _time);
        var (user, error) = new ClientCertificateAuthenticator(pki.Ca, _time).Authenticate(pki.IssueClient("system:node:n1", ["system:nodes"], _time));

        Assert.Null(error);
        Assert.Equal("system:node:n1", user!.Name);
        Assert.Equal(["system:nodes", "system:authenticated"], user.Groups);
    }

    [Fact]
    public void Authenticate_AdminFromDisk_IsSystemMasters()
    {
        ClusterPki.LoadOrCreate(_dir, [], _time);
        var reloaded = ClusterPki.LoadOrCreate(_dir, [], _time);
        var (user, _) = new ClientCertificateAuthenticator(reloaded.Ca, _time).Authenticate(reloaded.Admin);

        Assert.Equal("admin", user!.Name);
        Assert.Contains("system:masters", user.Groups);
    }

    [Fact]
    public void Authenticate_OtherClustersCertificate_IsRefused()
    {
        var ours = ClusterPki.LoadOrCreate(_dir, [], _time);
        var theirs = ClusterPki.LoadOrCreate(Path.Combine(_dir, "other"), [], _time);

        var (user, error) = new ClientCertificateAuthenticator(ours.Ca, _time).Authenticate(theirs.Admin);

        Assert.Null(user);
        Assert.NotNull(error);
    }

    [Fact]
    public void Authenticate_ExpiredCertificate_IsRefused_AndLoadRenewsIt()
    {
        var pki = ClusterPki.LoadOrCreate(_dir, [], _time);
        var admin = pki.Admin;
        _time.Advance(TimeSpan.FromDays(400));

        var (user, _) = new ClientCertificateAuthenticator(pki.Ca, _time).Authenticate(admin);
        Assert.Null(user);

        var renewed = ClusterPki.LoadOrCreate(_dir, [], _time);
        Assert.NotEqual(admin.Thumbprint, renewed.Admin.Thumbprint);
        Assert.Equal(pki.Ca.Thumbprint, renewed.Ca.Thumbprint);
        Assert.NotNull(new ClientCertificateAuthenticator(renewed.Ca, _time).Authenticate(renewed.Admin).User);
    }

    [Fact]
    public void ServerCertificate_CoversTheApiNames()
    {
        var pki = ClusterPki.LoadOrCreate(_dir, ["api.example.com", "192.0.2.7"], _time);
        var sans = pki.Server.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single();

        Assert.Contains("kubernetes.default.svc.cluster.local", sans.EnumerateDnsNames());
        Assert.Contains("api.example.com", sans.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Parse("10.43.0.1"), sans.EnumerateIPAddresses());
        Assert.Contains(System.Net.IPAddress.Parse("192.0.2.7"), sans.EnumerateIPAddresses());
    }

    [Fact]
    public void ServerCertificate_MadeAgainForANewName_KeepsTheNamesItHad()
    {
        ClusterPki.LoadOrCreate(_dir, ["a.example.com", "192.0.2.7"], _time);
        var pki = ClusterPki.LoadOrCreate(_dir, ["b.example.com"], _time);
        var sans = pki.Server.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single();

        Assert.Contains("a.example.com", sans.EnumerateDnsNames());
        Assert.Contains("b.example.com", sans.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Parse("192.0.2.7"), sans.EnumerateIPAddresses());

        // Either server's names are covered now: neither makes it again.
        Assert.Equal(pki.Server.Thumbprint, ClusterPki.LoadOrCreate(_dir, ["a.example.com"], _time).Server.Thumbprint);
    }

    [Fact]
    public async Task ServersStartingTogether_HoldingTheLock_ShareOneCa_AndKeepEveryName_WithMatchingKeys()
    {
        var loaded = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            using (await TlsDirectoryLock.AcquireAsync(_dir, CancellationToken.None))
            {
                return ClusterPki.LoadOrCreate(_dir, [$"server-{i}.example.com"], _time);
            }
        })));
        var final = ClusterPki.LoadOrCreate(_dir, [], _time);

        Assert.All(loaded, pki => Assert.Equal(final.Ca.Thumbprint, pki.Ca.Thumbprint));
        var names = final.Server.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames().ToList();
        Assert.All(Enumerable.Range(0, 4), i => Assert.Contains($"server-{i}.example.com", names));
        foreach (var pki in loaded.Append(final))
        {
            using var key = pki.Server.GetECDsaPrivateKey()!;
            using var certified = pki.Server.GetECDsaPublicKey()!;
            Assert.Equal(certified.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        }
    }

    [Fact]
    public void ComponentAndNodeCertificates_CarryUpstreamsIdentities_WithPrivateKeys()
    {
        var pki = ClusterPki.LoadOrCreate(_dir, [], _time);
        var authenticator = new ClientCertificateAuthenticator(pki.Ca, _time);
        Assert.Equal("system:kube-scheduler", authenticator.Authenticate(pki.Component("scheduler", _time)).User!.Name);
        Assert.Equal("system:kube-controller-manager", authenticator.Authenticate(pki.Component("controller-manager", _time)).User!.Name);
        var node = authenticator.Authenticate(pki.Node("n1", _time)).User!;
        Assert.Equal(("system:node:n1", true), (node.Name, node.Groups.Contains("system:nodes")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "node-n1.key")));
        Assert.Equal(pki.Node("n1", _time).Thumbprint, ClusterPki.LoadOrCreate(_dir, [], _time).Node("n1", _time).Thumbprint);
        Assert.Throws<ArgumentException>(() => pki.Node("../evil", _time));
    }

    [Fact]
    public void ServerCertificate_IsRemade_WhenANewNameMustBeCovered_AndKeptOtherwise()
    {
        var first = ClusterPki.LoadOrCreate(_dir, ["192.0.2.7"], _time).Server;
        Assert.Equal(first.Thumbprint, ClusterPki.LoadOrCreate(_dir, ["192.0.2.7"], _time).Server.Thumbprint);
        var widened = ClusterPki.LoadOrCreate(_dir, ["192.0.2.7", "node-a.example"], _time).Server;
        Assert.NotEqual(first.Thumbprint, widened.Thumbprint);
        Assert.Contains("node-a.example", widened.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }
}
