using System.Net;
using System.Text;
using Flotilla.Api.Bootstrap;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>Bearer tokens over HTTPS: the static token file, bootstrap tokens, and how they combine with certificates.</summary>
public sealed class BearerTokenTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>
{
    [Fact]
    public async Task StaticToken_IsTheFilesUser_WithItsUidAndGroups()
    {
        var me = await server.Client(null, SecureApiServerFixture.StaticToken).WhoAmIAsync();

        Assert.Equal("alice", (string?)me["username"]);
        Assert.Equal("42", (string?)me["uid"]);
        Assert.Equal(["dev", "ops", "system:authenticated"], me["groups"]!.AsArray().Select(g => (string?)g));
    }

    [Fact]
    public async Task UnknownToken_Is401_EvenOnPublicPaths_NoCredentialIsAnonymousThere()
    {
        var stranger = server.Client(null, "no-such-token");

        var (code, status) = await stranger.SendAsync(HttpMethod.Get, "/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, code);
        Assert.Equal(("Unauthorized", "Unauthorized", 401), ((string?)status!["reason"], (string?)status["message"], (int?)status["code"]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.SendAsync(HttpMethod.Get, "/healthz")).Code);
        Assert.Equal(HttpStatusCode.OK, (await server.Client(null).GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task CertificateComesFirst_ATokenAuthenticatesWhenTheCertificateDoesNot()
    {
        var withBadToken = server.Client(server.Pki.Admin, "no-such-token");
        Assert.Equal("admin", (string?)(await withBadToken.WhoAmIAsync())["username"]);

        var otherDir = Path.Combine(server.DataDir, "other-pki");
        var foreign = ClusterPki.LoadOrCreate(otherDir, [], TimeProvider.System);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(foreign.Admin).SendAsync(HttpMethod.Get, "/api/v1/namespaces")).Code);
        Assert.Equal("alice", (string?)(await server.Client(foreign.Admin, SecureApiServerFixture.StaticToken).WhoAmIAsync())["username"]);
    }

    [Theory]
    [InlineData("bearer {0}", HttpStatusCode.Created)]
    [InlineData("Bearer {0} trailing", HttpStatusCode.Created)]
    [InlineData("Basic {0}", HttpStatusCode.Unauthorized)]
    [InlineData("Bearer", HttpStatusCode.Unauthorized)]
    public async Task AuthorizationHeader_ReadAsUpstreamsBearerToken(string header, HttpStatusCode expected)
    {
        var client = server.Client(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, header, SecureApiServerFixture.StaticToken));

        var (code, _) = await client.SendAsync(HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews", """{"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"}""");

        Assert.Equal(expected, code);
    }

    [Fact]
    public async Task BootstrapToken_IsTheBootstrapUser_UntilItExpires()
    {
        var (id, secret) = BootstrapToken.Generate();
        await CreateBootstrapSecretAsync(id, secret, DateTimeOffset.UtcNow.AddHours(1));

        var me = await server.Client(null, $"{id}.{secret}").WhoAmIAsync();
        Assert.Equal($"system:bootstrap:{id}", (string?)me["username"]);
        Assert.Equal(["system:bootstrappers", BootstrapToken.NodeTokenGroup, "system:authenticated"], me["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(null, $"{id}.{new string('0', 16)}").SendAsync(HttpMethod.Get, "/version")).Code);

        var (expiredId, expiredSecret) = BootstrapToken.Generate();
        await CreateBootstrapSecretAsync(expiredId, expiredSecret, DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(null, $"{expiredId}.{expiredSecret}").SendAsync(HttpMethod.Get, "/version")).Code);
    }

    private Task CreateBootstrapSecretAsync(string id, string secret, DateTimeOffset expires)
    {
        var body = k8s.KubernetesJson.Serialize(BootstrapToken.ToSecret(id, secret, expires, "test", [BootstrapToken.NodeTokenGroup]));
        return server.Admin.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/v1/namespaces/kube-system/secrets", body);
    }
}
