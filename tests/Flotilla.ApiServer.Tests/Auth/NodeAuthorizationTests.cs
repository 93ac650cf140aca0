using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Tests.Integration;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>
/// A kubelet's client certificate (<c>system:node:n1</c> in <c>system:nodes</c>) against the HTTPS server: the Node
/// authorizer and NodeRestriction, with no RBAC binding for nodes at all.
/// </summary>
public sealed class NodeAuthorizationTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>, IAsyncLifetime
{
    private const string Ns = "node-auth";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);
    private HttpClient _node1 = null!;

    public async Task InitializeAsync()
    {
        _node1 = server.ClientFor("system:node:n1", "system:nodes");
        if ((await server.Admin.GetAsync($"/api/v1/namespaces/{Ns}")).StatusCode == HttpStatusCode.OK)
        {
            return;  // one fixture, several tests: set up once
        }

        await CreateAsync("/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{Ns}}}"}}""");
        await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(server.App.Services, Ns);
        foreach (var node in new[] { "n1", "n2" })
        {
            await CreateAsync("/api/v1/nodes", $$$"""{"metadata":{"name":"{{{node}}}"}}""");
        }

        foreach (var secret in new[] { "s1", "s2", "s-gone" })
        {
            await CreateAsync($"/api/v1/namespaces/{Ns}/secrets", $$$"""{"metadata":{"name":"{{{secret}}}"},"stringData":{"k":"v"}}""");
        }

        await CreateAsync($"/api/v1/namespaces/{Ns}/pods", PodJson("p1", "n1", "s1"));
        await CreateAsync($"/api/v1/namespaces/{Ns}/pods", PodJson("p2", "n2", "s2"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Node_ReadsTheSecretOfItsPod_NotTheSecretOfAnotherNodesPod()
    {
        await WaitForAsync(() => _node1.GetAsync($"/api/v1/namespaces/{Ns}/secrets/s1"), HttpStatusCode.OK);

        var response = await _node1.GetAsync($"/api/v1/namespaces/{Ns}/secrets/s2");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"secrets \"s2\" is forbidden: User \"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace \"{Ns}\": no relationship found between node 'n1' and this object",
            await MessageAsync(response));
    }

    [Fact]
    public async Task Node_WatchesItsSecretByName_AndListsOnlyItsOwnPods()
    {
        await WaitForAsync(() => _node1.GetAsync($"/api/v1/namespaces/{Ns}/secrets?fieldSelector=metadata.name%3Ds1"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await _node1.GetAsync($"/api/v1/namespaces/{Ns}/secrets?fieldSelector=metadata.name%3Ds2")).StatusCode);

        var own = await _node1.GetAsync("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var items = JsonNode.Parse(await own.Content.ReadAsStringAsync())!["items"]!.AsArray();
        Assert.Equal(["p1"], items.Select(i => (string?)i!["metadata"]!["name"]));

        var all = await _node1.GetAsync("/api/v1/pods");
        Assert.Equal(HttpStatusCode.Forbidden, all.StatusCode);
        Assert.EndsWith(": can only list/watch pods with spec.nodeName field selector", await MessageAsync(all), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_PatchesItsOwnNodeStatus_NotAnotherNodes()
    {
        const string Ready = """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status"}]}}""";
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync("/api/v1/nodes/n1/status", Ready)).StatusCode);

        var other = await PatchAsync("/api/v1/nodes/n2/status", Ready);

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("nodes \"n2\" is forbidden: node \"n1\" is not allowed to modify node \"n2\"", await MessageAsync(other));
        Assert.Equal(HttpStatusCode.OK, (await _node1.GetAsync("/api/v1/nodes/n1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _node1.GetAsync("/api/v1/nodes/n2")).StatusCode);
    }

    [Fact]
    public async Task Node_UpdatesStatusOfItsOwnPod_NotOfAnotherNodesPod()
    {
        const string Running = """{"status":{"phase":"Running"}}""";
        var own = await PatchAsync($"/api/v1/namespaces/{Ns}/pods/p1/status", Running);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("Running", (string?)JsonNode.Parse(await own.Content.ReadAsStringAsync())!["status"]!["phase"]);

        var other = await PatchAsync($"/api/v1/namespaces/{Ns}/pods/p2/status", Running);

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("pods \"p2\" is forbidden: node \"n1\" can only update pod status for pods with spec.nodeName set to itself", await MessageAsync(other));
    }

    [Fact]
    public async Task PodDeleted_ItsSecretIsNoLongerReadable()
    {
        await CreateAsync($"/api/v1/namespaces/{Ns}/pods", PodJson("p-gone", "n1", "s-gone"));
        await WaitForAsync(() => _node1.GetAsync($"/api/v1/namespaces/{Ns}/secrets/s-gone"), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.DeleteAsync($"/api/v1/namespaces/{Ns}/pods/p-gone?gracePeriodSeconds=0")).StatusCode);

        await WaitForAsync(() => _node1.GetAsync($"/api/v1/namespaces/{Ns}/secrets/s-gone"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Node_GetsTokensOnlyBoundToItsOwnPods()
    {
        var p1 = JsonNode.Parse(await server.Admin.GetStringAsync($"/api/v1/namespaces/{Ns}/pods/p1"))!;
        var p2 = JsonNode.Parse(await server.Admin.GetStringAsync($"/api/v1/namespaces/{Ns}/pods/p2"))!;
        static string Request(JsonNode pod) => new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray("https://kubernetes.default.svc"),
                ["boundObjectRef"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["name"] = (string?)pod["metadata"]!["name"], ["uid"] = (string?)pod["metadata"]!["uid"] },
            },
        }.ToJsonString();
        var path = $"/api/v1/namespaces/{Ns}/serviceaccounts/default/token";
        await WaitForAsync(() => _node1.PostAsync(path, new StringContent(Request(p1), Encoding.UTF8, "application/json")), HttpStatusCode.Created);

        // Both pods run as "default", so the Node authorizer lets n1 ask; NodeRestriction refuses a token for n2's pod.
        var other = await _node1.PostAsync(path, new StringContent(Request(p2), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("serviceaccounts \"default\" is forbidden: node requested token bound to a pod scheduled on a different node", await MessageAsync(other));
    }

    [Fact]
    public async Task Node_DoesTheRestByTheSystemNodeRolesRules()
    {
        Assert.Equal(HttpStatusCode.OK, (await _node1.GetAsync("/api/v1/services")).StatusCode);

        var deployments = await _node1.GetAsync($"/apis/apps/v1/namespaces/{Ns}/deployments");
        Assert.Equal(HttpStatusCode.Forbidden, deployments.StatusCode);
        Assert.Equal($"deployments.apps is forbidden: User \"system:node:n1\" cannot list resource \"deployments\" in API group \"apps\" in the namespace \"{Ns}\"", await MessageAsync(deployments));
    }

    private static string PodJson(string name, string node, string secret) =>
        $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"nodeName":"{{{node}}}","containers":[{"name":"app","image":"busybox:1.35"}],"volumes":[{"name":"s","secret":{"secretName":"{{{secret}}}"}}]}}""";

    private async Task CreateAsync(string path, string json)
    {
        var response = await server.Admin.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private Task<HttpResponseMessage> PatchAsync(string path, string json) =>
        _node1.PatchAsync(path, new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));

    private static async Task<string?> MessageAsync(HttpResponseMessage response) =>
        (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"];

    // The graph follows the watch caches, a moment behind the write.
    private static async Task WaitForAsync(Func<Task<HttpResponseMessage>> request, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + Deadline;
        HttpStatusCode code;
        while ((code = (await request()).StatusCode) != expected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"still {(int)code}, expected {(int)expected}");
            await Task.Delay(20);
        }
    }
}
