using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

public sealed class CrudTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    [Fact]
    public async Task Create_SetsServerFields_AndGetReturnsIt()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"crud-a"},"data":{"k":"v"}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        var meta = body!["metadata"]!;
        Assert.Equal("default", (string?)meta["namespace"]);
        Assert.Matches("^[0-9a-f-]{36}$", (string?)meta["uid"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string?)meta["creationTimestamp"]);
        Assert.Matches("^[0-9]+$", (string?)meta["resourceVersion"]);

        var (getCode, got) = await server.SendAsync(HttpMethod.Get, $"{ConfigMaps}/crud-a");
        Assert.Equal(HttpStatusCode.OK, getCode);
        Assert.Equal("v", (string?)got!["data"]!["k"]);
        Assert.Equal("ConfigMap", (string?)got["kind"]);
        Assert.Equal((string?)meta["resourceVersion"], (string?)got["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task Create_KeepsANodesStatus_ButNotADeployments_AsUpstream()
    {
        var (code, node) = await server.SendAsync(HttpMethod.Post, "/api/v1/nodes", """{"metadata":{"name":"crud-node"},"status":{"allocatable":{"cpu":"4","pods":"110"}}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("4", (string?)node!["status"]!["allocatable"]!["cpu"]);

        var (_, deployment) = await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments",
            """{"metadata":{"name":"crud-deploy"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}},"status":{"replicas":7}}""");
        Assert.Null(deployment!["status"]?["replicas"]);
    }

    [Fact]
    public async Task Create_Twice_IsAlreadyExistsStatus()
    {
        await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"crud-dup"}}""");
        var (code, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"crud-dup"}}""");

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Status", (string?)body!["kind"]);
        Assert.Equal("AlreadyExists", (string?)body["reason"]);
        Assert.Equal("configmaps \"crud-dup\" already exists", (string?)body["message"]);
        Assert.Equal(409, (int?)body["code"]);
    }

    [Fact]
    public async Task Get_Missing_IsNotFoundStatus()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Get, $"{ConfigMaps}/nope");

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("configmaps \"nope\" not found", (string?)body!["message"]);
        Assert.Equal("configmaps", (string?)body["details"]!["kind"]);
    }

    [Fact]
    public async Task Create_InvalidName_IsInvalidStatusNamingTheField()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"Bad_Name"}}""");

        Assert.Equal((HttpStatusCode)422, code);
        Assert.Equal("Invalid", (string?)body!["reason"]);
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", (string?)body["message"], StringComparison.Ordinal);
        Assert.Equal("metadata.name", (string?)body["details"]!["causes"]![0]!["field"]);
    }

    [Fact]
    public async Task Create_InMissingNamespace_IsNotFound()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/ghost/configmaps", """{"metadata":{"name":"x"}}""");

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("namespaces \"ghost\" not found", (string?)body!["message"]);
    }

    [Fact]
    public async Task Create_GenerateName_GetsRandomSuffix()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"generateName":"gen-"}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Matches("^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$", (string?)body!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Update_StaleResourceVersion_IsConflict_CurrentOneSucceeds()
    {
        var (_, created) = await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"crud-upd"},"data":{"n":"1"}}""");
        var rv = (string?)created!["metadata"]!["resourceVersion"];
        var (ok, updated) = await server.SendAsync(HttpMethod.Put, $"{ConfigMaps}/crud-upd", $$"""{"metadata":{"name":"crud-upd","resourceVersion":"{{rv}}"},"data":{"n":"2"} }""");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.NotEqual(rv, (string?)updated!["metadata"]!["resourceVersion"]);
        Assert.Equal((string?)created["metadata"]!["uid"], (string?)updated["metadata"]!["uid"]);

        var (code, body) = await server.SendAsync(HttpMethod.Put, $"{ConfigMaps}/crud-upd", $$"""{"metadata":{"name":"crud-upd","resourceVersion":"{{rv}}"},"data":{"n":"3"} }""");
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"crud-upd\": the object has been modified; please apply your changes to the latest version and try again", (string?)body!["message"]);
    }

    [Fact]
    public async Task Update_NameDiffersFromUrl_IsBadRequest()
    {
        await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"crud-nm"}}""");
        var (code, _) = await server.SendAsync(HttpMethod.Put, $"{ConfigMaps}/crud-nm", """{"metadata":{"name":"other"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Create_WrongKindForUrl_IsBadRequest()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("Secret", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_MalformedJson_IsBadRequest_NothingStored()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"broken" """);
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("Status", (string?)body!["kind"]);
        var (get, _) = await server.SendAsync(HttpMethod.Get, $"{ConfigMaps}/broken");
        Assert.Equal(HttpStatusCode.NotFound, get);
    }

    [Fact]
    public async Task Create_Yaml_IsAccepted()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, "metadata:\n  name: crud-yaml\ndata:\n  port: \"80\"\n", "application/yaml");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("80", (string?)body!["data"]!["port"]);
    }

    [Fact]
    public async Task Delete_ReturnsObject_ThenGone()
    {
        await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"crud-del"}}""");
        var (code, body) = await server.SendAsync(HttpMethod.Delete, $"{ConfigMaps}/crud-del", """{"propagationPolicy":"Background"}""");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("crud-del", (string?)body!["metadata"]!["name"]);
        var (get, _) = await server.SendAsync(HttpMethod.Get, $"{ConfigMaps}/crud-del");
        Assert.Equal(HttpStatusCode.NotFound, get);
    }

    [Fact]
    public async Task Delete_WithFinalizer_MarksThenRemovingFinalizerDeletes()
    {
        await server.SendAsync(HttpMethod.Post, ConfigMaps, """{"metadata":{"name":"crud-fin","finalizers":["example.com/hold"]}}""");
        var (code, marked) = await server.SendAsync(HttpMethod.Delete, $"{ConfigMaps}/crud-fin");
        Assert.Equal(HttpStatusCode.Accepted, code);
        Assert.NotNull(marked!["metadata"]!["deletionTimestamp"]);

        var (still, current) = await server.SendAsync(HttpMethod.Get, $"{ConfigMaps}/crud-fin");
        Assert.Equal(HttpStatusCode.OK, still);
        current!["metadata"]!["finalizers"] = new System.Text.Json.Nodes.JsonArray();
        var (put, _) = await server.SendAsync(HttpMethod.Put, $"{ConfigMaps}/crud-fin", current.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, put);
        var (gone, _) = await server.SendAsync(HttpMethod.Get, $"{ConfigMaps}/crud-fin");
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }

    [Fact]
    public async Task DryRun_Create_StoresNothing()
    {
        var (code, _) = await server.SendAsync(HttpMethod.Post, $"{ConfigMaps}?dryRun=All", """{"metadata":{"name":"crud-dry"}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        var (get, _) = await server.SendAsync(HttpMethod.Get, $"{ConfigMaps}/crud-dry");
        Assert.Equal(HttpStatusCode.NotFound, get);
    }

    [Fact]
    public async Task UnknownResource_IsNotFoundStatus()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/widgets");
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("the server could not find the requested resource", (string?)body!["message"]);
    }
}
