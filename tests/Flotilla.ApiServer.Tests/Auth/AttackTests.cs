using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>
/// What an attacker tries against the API: forged certificates, names that climb out of their path, oversized and
/// endless headers. Each is refused with the right code, leaves nothing behind, and is in the audit log.
/// </summary>
public sealed class AttackTests(AuditApiServerFixture server) : IClassFixture<AuditApiServerFixture>
{
    [Fact]
    public async Task SelfSignedMastersCertificate_Is401_AndAudited()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=admin, O=system:masters", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var forged = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        var response = await server.Client(forged).GetAsync("/api/v1/namespaces/kube-system/secrets");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("items", body, StringComparison.Ordinal);
        var events = await server.EventsForAsync(response.Headers.GetValues("Audit-ID").Single(), 1);
        Assert.Equal(401, (int?)events[^1]["responseStatus"]!["code"]);
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/secrets/..%2F..%2Fnamespaces")]
    [InlineData("/api/v1/namespaces/..%2Fkube-system/secrets")]
    public async Task PathTraversal_NeverReachesAnotherObject(string path)
    {
        // An encoded slash stays inside its segment: a name or namespace that does not exist, never a way out.
        using var secret = new StringContent("""{"metadata":{"name":"crown-jewels"},"stringData":{"k":"v"}}""", Encoding.UTF8, "application/json");
        Assert.Contains((await server.Admin.PostAsync("/api/v1/namespaces/kube-system/secrets", secret)).StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
        var response = await server.Admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and <= 404 || (response.StatusCode == HttpStatusCode.OK && System.Text.Json.Nodes.JsonNode.Parse(body)!["items"]!.AsArray().Count == 0), body);
        Assert.DoesNotContain("crown-jewels", body, StringComparison.Ordinal);

        var jane = await server.ClientFor("jane").GetAsync(path);
        Assert.InRange((int)jane.StatusCode, 400, 404);
    }

    [Fact]
    public async Task NameThatClimbsOut_IsInvalid_AndNothingIsStored()
    {
        var response = await server.Admin.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"metadata":{"name":"../../kube-system/evil"}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/namespaces/kube-system/configmaps/evil")).StatusCode);
    }

    [Fact]
    public async Task OversizedHeaders_Are431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add("X-Padding", new string('a', 2 * 1024 * 1024));
        var response = await server.Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal("ok", await server.Admin.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task SlowLoris_HeadersNeverFinished_TheServerHangsUp()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Address.Port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [server.Pki.Admin],
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /api/v1/namespaces HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
        await tls.FlushAsync();

        // The headers never end: the server answers 408 or just closes, within its header timeout.
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = 0;
        int n;
        while ((n = await tls.ReadAsync(buffer.AsMemory(read), deadline.Token)) > 0)
        {
            read += n;
        }

        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.True(read == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        Assert.Equal("ok", await server.Admin.GetStringAsync("/readyz"));
    }
}
