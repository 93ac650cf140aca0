using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

public sealed class PatchTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","labels":{"app":"web"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                 "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"a","image":"busybox:1.35"},{"name":"b","image":"busybox:1.35"}]}}}}
        """;

    [Fact]
    public async Task StrategicMerge_ChangesOneContainerImage_KeepsTheOther()
    {
        await CreateAsync("smp");
        var (code, body) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/smp",
            """{"spec":{"template":{"spec":{"containers":[{"name":"b","image":"busybox:1.36"}]}}}}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, code);
        var containers = body!["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["busybox:1.35", "busybox:1.36"], containers.Select(c => (string?)c!["image"]));
        Assert.Equal(2, (int?)body["metadata"]!["generation"]);
    }

    [Fact]
    public async Task MergePatch_Labels_DoesNotBumpGeneration()
    {
        await CreateAsync("merge");
        var (code, body) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/merge",
            """{"metadata":{"labels":{"tier":"fe"}}}""", "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("fe", (string?)body!["metadata"]!["labels"]!["tier"]);
        Assert.Equal(1, (int?)body["metadata"]!["generation"]);
    }

    [Fact]
    public async Task EndpointSlices_CountGenerations_ForEndpointsPortsAndLabels_NotAnnotations()
    {
        const string Path = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/gen";
        var (created, body) = await server.SendAsync(HttpMethod.Post, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices",
            """{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"gen","generation":7},"addressType":"IPv4","endpoints":[{"addresses":["10.42.0.5"]}]}""");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(1, (int?)body!["metadata"]!["generation"]);

        (_, body) = await server.SendAsync(HttpMethod.Patch, Path, """{"metadata":{"annotations":{"a":"b"}}}""", "application/merge-patch+json");
        Assert.Equal(1, (int?)body!["metadata"]!["generation"]);

        (_, body) = await server.SendAsync(HttpMethod.Patch, Path, """{"endpoints":[{"addresses":["10.42.0.6"]}]}""", "application/merge-patch+json");
        Assert.Equal(2, (int?)body!["metadata"]!["generation"]);

        (_, body) = await server.SendAsync(HttpMethod.Patch, Path, """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        Assert.Equal(3, (int?)body!["metadata"]!["generation"]);

        // Clients cannot set it.
        (_, body) = await server.SendAsync(HttpMethod.Patch, Path, """{"metadata":{"generation":40}}""", "application/merge-patch+json");
        Assert.Equal(3, (int?)body!["metadata"]!["generation"]);
    }

    [Fact]
    public async Task JsonPatch_FailedTest_IsInvalid_AndChangesNothing()
    {
        await CreateAsync("jp");
        var (code, body) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/jp",
            """[{"op":"test","path":"/spec/replicas","value":9},{"op":"replace","path":"/spec/replicas","value":1}]""", "application/json-patch+json");

        Assert.Equal((HttpStatusCode)422, code);
        Assert.Contains("test failed", (string?)body!["message"], StringComparison.Ordinal);
        var (_, current) = await server.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/jp");
        Assert.Equal(2, (int?)current!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task Scale_GetAndMergePatch_ChangesReplicas()
    {
        await CreateAsync("scaled");
        var (getCode, scale) = await server.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/scaled/scale");
        Assert.Equal(HttpStatusCode.OK, getCode);
        Assert.Equal("Scale", (string?)scale!["kind"]);
        Assert.Equal("autoscaling/v1", (string?)scale["apiVersion"]);
        Assert.Equal(2, (int?)scale["spec"]!["replicas"]);
        Assert.Equal("app=web", (string?)scale["status"]!["selector"]);

        var (code, patched) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/scaled/scale", """{"spec":{"replicas":5}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(5, (int?)patched!["spec"]!["replicas"]);
        var (_, deployment) = await server.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/scaled");
        Assert.Equal(5, (int?)deployment!["spec"]!["replicas"]);
    }

    [Fact]
    public async Task StatusSubresource_IsTheOnlyWayToChangeStatus()
    {
        await CreateAsync("status");
        await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/status", """{"status":{"replicas":7}}""", "application/merge-patch+json");
        var (_, main) = await server.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/status");
        Assert.Null(main!["status"]?["replicas"]);

        var (code, viaStatus) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/status/status", """{"status":{"replicas":7},"spec":{"replicas":9}}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(7, (int?)viaStatus!["status"]!["replicas"]);
        Assert.Equal(2, (int?)viaStatus["spec"]!["replicas"]);
    }

    private async Task CreateAsync(string name)
    {
        var (code, body) = await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", Deployment.Replace("NAME", name, StringComparison.Ordinal));
        Assert.True(code == HttpStatusCode.Created, body?.ToJsonString());
    }
}
