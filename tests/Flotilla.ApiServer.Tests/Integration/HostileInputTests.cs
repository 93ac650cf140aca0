using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

/// <summary>Nothing a client sends crashes the server or stores half an object: bad input is a 4xx Status.</summary>
public sealed class HostileInputTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    public static TheoryData<string, string, string, string> Requests => new()
    {
        { "POST", "/api/v1/namespaces/default/configmaps", "[1,2,3]", "application/json" },
        { "POST", "/api/v1/namespaces/default/configmaps", "\"just a string\"", "application/json" },
        { "POST", "/api/v1/namespaces/default/configmaps", new string('[', 5000) + new string(']', 5000), "application/json" },
        { "POST", "/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"x"},"data":{"a":1e999}}""", "application/json" },
        { "POST", "/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"x","labels":"not-a-map"}}""", "application/json" },
        { "POST", "/api/v1/namespaces/default/pods", """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":"eighty"}]}]}}""", "application/json" },
        { "POST", "/api/v1/namespaces/default/configmaps", "metadata: [unclosed", "application/yaml" },
        { "POST", "/api/v1/namespaces/default/configmaps", "k8s\0garbage", "application/vnd.kubernetes.protobuf" },
        { "POST", "/api/v1/namespaces/default/configmaps", "<xml/>", "application/xml" },
        { "PATCH", "/api/v1/namespaces/default/configmaps/kube-root", """{"op":"add"}""", "application/json-patch+json" },
        { "PATCH", "/api/v1/namespace/default/configmaps/x", "{}", "application/merge-patch+json" },
        { "PUT", "/api/v1/namespaces/default/configmaps/..", """{"metadata":{"name":".."}}""", "application/json" },
        { "GET", "/api/v1/namespaces/default/configmaps?limit=abc", "", "application/json" },
        { "GET", "/api/v1/namespaces/default/configmaps?continue=not-base64!!", "", "application/json" },
        { "GET", "/api/v1/namespaces/default/configmaps?resourceVersion=xyz&resourceVersionMatch=Exact", "", "application/json" },
        { "DELETE", "/api/v1/namespaces/default/configmaps/x", """{"propagationPolicy":"Sideways"}""", "application/json" },
        { "POST", "/api/v1/namespaces/default/configmaps?dryRun=Maybe", """{"metadata":{"name":"x"}}""", "application/json" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadRequest_IsAClientErrorStatus_ServerStaysReady(string method, string path, string body, string contentType)
    {
        var (code, status) = await server.SendAsync(new HttpMethod(method), path, method == "GET" ? null : body, contentType);

        Assert.InRange((int)code, 400, 499);
        Assert.Equal("Status", (string?)status?["kind"]);
        Assert.Equal("ok", await server.Http.GetStringAsync("/readyz"));
        var (get, _) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps/x");
        Assert.Equal(HttpStatusCode.NotFound, get);
    }

    [Fact]
    public async Task Body_OverThreeMebibytes_Is413()
    {
        var big = "{\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\"" + new string('x', 3 * 1024 * 1024) + "\"}}";
        var (code, status) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal("RequestEntityTooLarge", (string?)status!["reason"]);
    }
}
