using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

public sealed class ListTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task List_Paginated_IsOneConsistentSnapshot()
    {
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"paging"}}""");
        for (var i = 0; i < 7; i++)
        {
            await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/paging/configmaps", $$"""{"metadata":{"name":"cm-{{i}}"} }""");
        }

        var (code, first) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/paging/configmaps?limit=3");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ConfigMapList", (string?)first!["kind"]);
        Assert.Equal(3, first["items"]!.AsArray().Count);
        var token = (string?)first["metadata"]!["continue"];
        Assert.NotNull(token);

        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/paging/configmaps", """{"metadata":{"name":"cm-9-late"}}""");
        var names = first["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ToList();
        while (token is not null)
        {
            var (_, page) = await server.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/paging/configmaps?limit=3&continue={token}");
            names.AddRange(page!["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
            Assert.Equal((string?)first["metadata"]!["resourceVersion"], (string?)page["metadata"]!["resourceVersion"]);
            token = (string?)page["metadata"]!["continue"];
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"), names);
    }

    [Fact]
    public async Task List_AllNamespaces_AndClusterScoped()
    {
        var (code, list) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.OK, code);
        var names = list!["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]).ToList();
        Assert.Contains("default", names);
        Assert.Contains("kube-system", names);
        Assert.Contains("kube-node-lease", names);
        Assert.Equal("Active", (string?)list["items"]![0]!["status"]!["phase"]);
    }

    [Fact]
    public async Task List_AsTable_HasColumnsAndPartialObjectMetadata()
    {
        var (code, table) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces", accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Table", (string?)table!["kind"]);
        Assert.Equal("Name", (string?)table["columnDefinitions"]![0]!["name"]);
        Assert.Equal("PartialObjectMetadata", (string?)table["rows"]![0]!["object"]!["kind"]);
    }
}
