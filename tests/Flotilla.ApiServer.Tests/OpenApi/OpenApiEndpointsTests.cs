using System.Net;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.OpenApi;

public sealed class OpenApiEndpointsTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task Index_Get_ListsDocumentsWithHashes()
    {
        using var response = await server.Http.GetAsync("/openapi/v3");
        var index = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.StartsWith("/openapi/v3/api/v1?hash=", (string?)index["paths"]!["api/v1"]!["serverRelativeURL"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_CurrentHash_IsImmutable()
    {
        var url = await LinkAsync("apis/apps/v1");
        using var response = await server.Http.GetAsync(url);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, immutable", Assert.Single(response.Headers.GetValues("Cache-Control")));
        Assert.NotNull(response.Content.Headers.Expires);
        Assert.NotNull(document["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]);
    }

    [Fact]
    public async Task Document_StaleHash_RedirectsToCurrent()
    {
        var url = await LinkAsync("api/v1");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Http.BaseAddress };
        using var response = await client.GetAsync("/openapi/v3/api/v1?hash=0123");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(url, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Document_NoHash_ServedWithoutCaching()
    {
        using var response = await server.Http.GetAsync("/openapi/v3/api/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.CacheControl);
    }

    [Fact]
    public async Task Document_MatchingETag_NotModified()
    {
        using var first = await server.Http.GetAsync("/openapi/v3/apis/batch/v1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3/apis/batch/v1");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Document_ProtobufOnly_NotAcceptable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v3/api/v1");
        request.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v3.v1.0+protobuf");
        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Theory]
    [InlineData("/openapi/v3/apis/example.com/v1")]
    [InlineData("/openapi/v2")]
    [InlineData("/openapi/v2?timeout=32s")]
    public async Task UnservedDocument_NotFound(string path)
    {
        var (code, body) = await server.SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("NotFound", (string?)body!["reason"]);
    }

    private async Task<string> LinkAsync(string key)
    {
        var (_, index) = await server.SendAsync(HttpMethod.Get, "/openapi/v3");
        return (string)index!["paths"]![key]!["serverRelativeURL"]!;
    }
}
