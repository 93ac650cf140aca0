using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

/// <summary>Kinds served in two versions over one storage: autoscaling v1/v2 HPAs and core/events.k8s.io Events.</summary>
public sealed class VersionTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task Hpa_CreatedAsV1_ReadAsV2_AndBack_LosingNothing()
    {
        var (code, _) = await server.SendAsync(HttpMethod.Post, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers",
            """{"metadata":{"name":"h1"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":4,"targetCPUUtilizationPercentage":60}}""");
        Assert.Equal(HttpStatusCode.Created, code);

        var (_, v2) = await server.SendAsync(HttpMethod.Get, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/h1");
        Assert.Equal("autoscaling/v2", (string?)v2!["apiVersion"]);
        Assert.Equal(60, (int?)v2["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]);

        // A v2-only metric survives a v1 read-modify-write (carried in an annotation, as upstream).
        v2["spec"]!["metrics"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse("""{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"100Mi"}}}"""));
        var (put, _) = await server.SendAsync(HttpMethod.Put, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/h1", v2.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, put);
        var (_, v1) = await server.SendAsync(HttpMethod.Get, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/h1");
        Assert.Equal(60, (int?)v1!["spec"]!["targetCPUUtilizationPercentage"]);
        v1["spec"]!["maxReplicas"] = 5;
        await server.SendAsync(HttpMethod.Put, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/h1", v1.ToJsonString());

        var (_, after) = await server.SendAsync(HttpMethod.Get, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/h1");
        Assert.Equal(5, (int?)after!["spec"]!["maxReplicas"]);
        Assert.Equal(["cpu", "memory"], after["spec"]!["metrics"]!.AsArray().Select(m => (string?)m!["resource"]!["name"]));
        Assert.Null(after["metadata"]!["annotations"]);
    }

    [Fact]
    public async Task Event_CreatedThroughEventsApi_IsACoreEvent()
    {
        var (code, _) = await server.SendAsync(HttpMethod.Post, "/apis/events.k8s.io/v1/namespaces/default/events",
            """{"metadata":{"name":"e1"},"eventTime":"2026-12-01T10:00:00.000000Z","reportingController":"example.com/c","reportingInstance":"i","action":"Do","reason":"Done","note":"hi","type":"Normal","regarding":{"kind":"Pod","name":"p","namespace":"default"}}""");
        Assert.Equal(HttpStatusCode.Created, code);

        var (_, core) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/events/e1");
        Assert.Equal("hi", (string?)core!["message"]);
        Assert.Equal("p", (string?)core["involvedObject"]!["name"]);
        Assert.Equal("example.com/c", (string?)core["reportingComponent"]);

        var (_, list) = await server.SendAsync(HttpMethod.Get, "/apis/events.k8s.io/v1/namespaces/default/events");
        Assert.Equal("hi", (string?)list!["items"]![0]!["note"]);
    }

    [Fact]
    public async Task Hpa_V1_IsValidatedAndDefaultedAsItsStorageVersion()
    {
        var (bad, body) = await server.SendAsync(HttpMethod.Post, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers",
            """{"metadata":{"name":"h-bad"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":0}}""");
        Assert.Equal((HttpStatusCode)422, bad);
        Assert.Contains("maxReplicas", (string?)body!["message"], StringComparison.Ordinal);

        var (ok, _) = await server.SendAsync(HttpMethod.Post, "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers",
            """{"metadata":{"name":"h-default"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"maxReplicas":3}}""");
        Assert.Equal(HttpStatusCode.Created, ok);
        var (_, v2) = await server.SendAsync(HttpMethod.Get, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/h-default");
        Assert.Equal(1, (int?)v2!["spec"]!["minReplicas"]);
    }
}
