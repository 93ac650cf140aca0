using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

public sealed class BindingTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    [Fact]
    public async Task Binding_SetsNodeName_AndPodScheduled_OnlyOnce()
    {
        var (created, _) = await server.SendAsync(HttpMethod.Post, Pods, """{"metadata":{"name":"bind-me"},"spec":{"containers":[{"name":"c","image":"busybox:1.35"}]}}""");
        Assert.Equal(HttpStatusCode.Created, created);

        var (code, status) = await server.SendAsync(HttpMethod.Post, $"{Pods}/bind-me/binding", """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"bind-me"},"target":{"apiVersion":"v1","kind":"Node","name":"node-a"}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("Success", (string?)status!["status"]);

        var (_, pod) = await server.SendAsync(HttpMethod.Get, $"{Pods}/bind-me");
        Assert.Equal("node-a", (string?)pod!["spec"]!["nodeName"]);
        Assert.Contains(pod["status"]!["conditions"]!.AsArray(), c => (string?)c!["type"] == "PodScheduled" && (string?)c["status"] == "True");

        var (again, body) = await server.SendAsync(HttpMethod.Post, $"{Pods}/bind-me/binding", """{"metadata":{"name":"bind-me"},"target":{"name":"node-b"}}""");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("is already assigned to node \"node-a\"", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodUpdate_CannotChangeNodeName()
    {
        var (_, pod) = await server.SendAsync(HttpMethod.Post, Pods, """{"metadata":{"name":"no-move"},"spec":{"containers":[{"name":"c","image":"busybox:1.35"}]}}""");
        pod!["spec"]!["nodeName"] = "sneaky";
        var (code, body) = await server.SendAsync(HttpMethod.Put, $"{Pods}/no-move", pod.ToJsonString());
        Assert.Equal((HttpStatusCode)422, code);
        Assert.Contains("pod updates may not change fields other than", (string?)body!["message"], StringComparison.Ordinal);
    }
}
