using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

public sealed class DiscoveryTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task ApiV1_ListsResourcesWithShortNamesAndSubresources()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Get, "/api/v1");
        Assert.Equal(HttpStatusCode.OK, code);
        var resources = body!["resources"]!.AsArray();
        var pods = resources.Single(r => (string?)r!["name"] == "pods")!;
        Assert.Equal("po", (string?)pods["shortNames"]![0]);
        Assert.Equal("all", (string?)pods["categories"]![0]);
        Assert.True((bool)pods["namespaced"]!);
        Assert.Contains(resources, r => (string?)r!["name"] == "pods/status");
    }

    [Fact]
    public async Task Apis_Aggregated_UsesExactContentType()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        using var response = await server.Http.SendAsync(request);

        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal));
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var apps = body["items"]!.AsArray().Single(i => (string?)i!["metadata"]!["name"] == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => (string?)r!["resource"] == "deployments")!;
        Assert.Equal("Namespaced", (string?)deployments["scope"]);
        Assert.Equal("Scale", (string?)deployments["subresources"]!.AsArray().Single(s => (string?)s!["subresource"] == "scale")!["responseKind"]!["kind"]);
    }

    [Fact]
    public async Task Apis_Legacy_ListsGroupsWithPreferredVersion()
    {
        var (_, body) = await server.SendAsync(HttpMethod.Get, "/apis");
        var groups = body!["groups"]!.AsArray();
        var apps = groups.Single(g => (string?)g!["name"] == "apps")!;
        Assert.Equal("apps/v1", (string?)apps["preferredVersion"]!["groupVersion"]);
    }

    [Fact]
    public async Task Readyz_Verbose_ListsChecks()
    {
        var text = await server.Http.GetStringAsync("/readyz?verbose");
        Assert.Contains("[+]store ok", text, StringComparison.Ordinal);
        Assert.EndsWith("readyz check passed\n", text, StringComparison.Ordinal);
        Assert.Equal("ok", await server.Http.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task OpenApiV2_IsNotFound_AndMetricsCountRequests()
    {
        using var v2 = await server.Http.GetAsync("/openapi/v2");
        Assert.Equal(HttpStatusCode.NotFound, v2.StatusCode);
        await server.Http.GetAsync("/api/v1/namespaces");
        var metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains("apiserver_request_total{verb=\"LIST\",group=\"\",resource=\"namespaces\",subresource=\"\",code=\"200\"}", metrics, StringComparison.Ordinal);
    }
}
