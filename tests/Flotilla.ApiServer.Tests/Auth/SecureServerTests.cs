using System.Net;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>Authentication and authorization as a client meets them over HTTPS.</summary>
public sealed class SecureServerTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>
{
    [Fact]
    public async Task Anonymous_Gets401_ExceptOnHealthAndVersion()
    {
        var anonymous = server.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/namespaces")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/version")).StatusCode);
    }

    [Fact]
    public async Task Admin_IsAllowed_OtherUsers_AreForbidden()
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("/api/v1/namespaces")).StatusCode);
        var jane = server.ClientFor("jane", "developers");
        var response = await jane.GetAsync("/api/v1/namespaces/default/pods");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var status = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", (string?)status["message"]);
    }
}

/// <summary>A server started with --anonymous-auth=false.</summary>
public sealed class NoAnonymousApiServerFixture : SecureApiServerFixture
{
    protected override ApiServerOptions Configure(ApiServerOptions options) =>
        options with { Authentication = options.Authentication with { AnonymousAuth = false } };
}

public sealed class AnonymousAuthOffTests(NoAnonymousApiServerFixture server) : IClassFixture<NoAnonymousApiServerFixture>
{
    [Fact]
    public async Task WithoutAnonymousAuth_EvenHealthNeedsACredential()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(null).GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client(null).GetAsync("/version")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Admin.GetAsync("/readyz")).StatusCode);
    }
}
