using System.Net;

namespace Flotilla.ApiServer.Tests.Integration;

/// <summary>The admission chain as a client meets it through the API.</summary>
public sealed class AdmissionTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    private const string Pod = """{"metadata":{"name":"web"},"spec":{"containers":[{"name":"app","image":"busybox"}]}}""";

    [Fact]
    public async Task PodInANamespace_RunsAsItsDefaultAccount_WithTheTokenVolume_AndDefaultTolerations()
    {
        await NamespaceAsync("adm-fresh");
        var (code, pod) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-fresh/pods", Pod);

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("default", (string?)pod!["spec"]!["serviceAccountName"]);
        Assert.StartsWith("kube-api-access-", (string?)pod["spec"]!["volumes"]![0]!["name"], StringComparison.Ordinal);
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", (string?)pod["spec"]!["containers"]![0]!["volumeMounts"]![0]!["mountPath"]);
        Assert.Equal(2, pod["spec"]!["tolerations"]!.AsArray().Count);
        Assert.Equal(0, (int?)pod["spec"]!["priority"]);
    }

    [Fact]
    public async Task PodNamingAMissingAccountOrPriorityClass_IsForbidden_AndNothingIsStored()
    {
        var (code, status) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods",
            """{"metadata":{"name":"ghost"},"spec":{"serviceAccountName":"ghost","containers":[{"name":"app","image":"busybox"}]}}""");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("pods \"ghost\" is forbidden: error looking up service account default/ghost: serviceaccount \"ghost\" not found", (string?)status!["message"]);

        (code, status) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/pods",
            """{"metadata":{"name":"gold"},"spec":{"priorityClassName":"gold","containers":[{"name":"app","image":"busybox"}]}}""");
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("pods \"gold\" is forbidden: no PriorityClass with name gold was found", (string?)status!["message"]);
        Assert.Equal(HttpStatusCode.NotFound, (await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/gold")).Code);
    }

    [Fact]
    public async Task SystemPriorityClasses_Exist_AndGiveCriticalPodsTheirPriority()
    {
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/kube-system/serviceaccounts", """{"metadata":{"name":"default"}}""");
        var (code, pod) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/kube-system/pods",
            """{"metadata":{"name":"critical"},"spec":{"priorityClassName":"system-node-critical","containers":[{"name":"app","image":"busybox"}]}}""");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(2000001000, (int?)pod!["spec"]!["priority"]);
    }

    [Fact]
    public async Task Quota_StopsTheFourthPodOfThree_AndADeletedPodGivesItsPlaceBack()
    {
        await NamespaceAsync("adm-quota");
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-quota/resourcequotas", """{"metadata":{"name":"three"},"spec":{"hard":{"pods":"3"}}}""")).Code);
        await WaitForAsync("/api/v1/namespaces/adm-quota/resourcequotas/three", q => (string?)q["status"]?["used"]?["pods"] == "0");

        var created = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-quota/pods", Pod.Replace("\"web\"", $"\"web-{i}\"", StringComparison.Ordinal))));
        Assert.Equal(3, created.Count(c => c.Code == HttpStatusCode.Created));
        var refused = Assert.Single(created, c => c.Code == HttpStatusCode.Forbidden);
        Assert.Matches("^pods \"web-\\d\" is forbidden: exceeded quota: three, requested: pods=1, used: pods=3, limited: pods=3$", (string?)refused.Body!["message"]);

        var admitted = created.First(c => c.Code == HttpStatusCode.Created).Body!["metadata"]!["name"]!.ToString();
        await server.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/adm-quota/pods/{admitted}");
        await WaitForAsync("/api/v1/namespaces/adm-quota/resourcequotas/three", q => (string?)q["status"]?["used"]?["pods"] == "2");
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-quota/pods", Pod.Replace("\"web\"", "\"web-again\"", StringComparison.Ordinal))).Code);
    }

    [Fact]
    public async Task LimitRange_DefaultsAPodsResources()
    {
        await NamespaceAsync("adm-limits");
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-limits/limitranges", """{"metadata":{"name":"defaults"},"spec":{"limits":[{"type":"Container","default":{"memory":"256Mi"}}]}}""");
        await WaitForAsync("/api/v1/namespaces/adm-limits/limitranges/defaults");
        var (code, pod) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-limits/pods", Pod);
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("256Mi", (string?)pod!["spec"]!["containers"]![0]!["resources"]!["limits"]!["memory"]);
        Assert.Equal("LimitRanger plugin set: memory request for container app; memory limit for container app", (string?)pod["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]);
    }

    [Fact]
    public async Task ClaimInUse_IsDeletedOnlyOnceNoPodMountsIt()
    {
        await NamespaceAsync("adm-pvc");
        var (_, claim) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-pvc/persistentvolumeclaims",
            """{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");
        Assert.Equal("kubernetes.io/pvc-protection", (string?)claim!["metadata"]!["finalizers"]![0]);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/adm-pvc/pods",
            """{"metadata":{"name":"user"},"spec":{"containers":[{"name":"app","image":"busybox"}],"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"data"}}]}}""")).Code);

        await server.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/adm-pvc/persistentvolumeclaims/data");
        await Task.Delay(300);
        var (code, held) = await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/adm-pvc/persistentvolumeclaims/data");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.NotNull(held!["metadata"]!["deletionTimestamp"]);

        await server.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/adm-pvc/pods/user");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await server.SendAsync(HttpMethod.Get, "/api/v1/namespaces/adm-pvc/persistentvolumeclaims/data")).Code != HttpStatusCode.NotFound)
        {
            Assert.True(DateTime.UtcNow < deadline, "the claim was not released after its pod went away");
            await Task.Delay(20);
        }
    }

    private async Task<System.Text.Json.Nodes.JsonNode?> WaitForAsync(string path, Func<System.Text.Json.Nodes.JsonNode, bool>? until = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var (code, body) = await server.SendAsync(HttpMethod.Get, path);
            if ((code == HttpStatusCode.OK && (until is null || until(body!))) || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.OK, code);
                Assert.True(until is null || until(body!), $"{path} did not reach the expected state: {body}");
                return body;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A namespace with its default account, which the controller manager would make (not running here).</summary>
    private async Task NamespaceAsync(string name)
    {
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", $$$"""{"metadata":{"name":"{{{name}}}"}}""")).Code);
        Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{name}/serviceaccounts", """{"metadata":{"name":"default"}}""")).Code);
    }
}
