using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Tests.Integration;

/// <summary>The PodSecurity admission plugin as clients meet it: namespace labels, 403s, warnings, over HTTPS.</summary>
public sealed class PodSecurityTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>
{
    private const string PrivilegedPod = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME"},"spec":{"containers":[{"name":"c","image":"busybox:1.35","securityContext":{"privileged":true}}]}}""";

    private const string RestrictedPod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME"},"spec":{
          "securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},
          "containers":[{"name":"c","image":"busybox:1.35","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}
        """;

    [Fact]
    public async Task EnforceRestricted_RefusesAPrivilegedPod_With403AndUpstreamsMessage_AdmitsACompliantOne()
    {
        await CreateNamespaceAsync("psa-enforce", ("pod-security.kubernetes.io/enforce", "restricted"));

        var refused = await PostAsync("/api/v1/namespaces/psa-enforce/pods", PrivilegedPod.Replace("NAME", "priv", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var status = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal(403, (int?)status["code"]);
        Assert.Equal("priv", (string?)status["details"]!["name"]);
        Assert.Equal("pods", (string?)status["details"]!["kind"]);
        Assert.Equal(
            "pods \"priv\" is forbidden: violates PodSecurity \"restricted:latest\": privileged (container \"c\" must not set securityContext.privileged=true), " +
            "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            (string?)status["message"]);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/v1/namespaces/psa-enforce/pods/priv")).StatusCode);

        var admitted = await PostAsync("/api/v1/namespaces/psa-enforce/pods", RestrictedPod.Replace("NAME", "ok", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Created, admitted.StatusCode);
        Assert.False(admitted.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task WarnBaseline_OnADeploymentWithAPrivilegedTemplate_CreatesItWithAWarningHeader()
    {
        await CreateNamespaceAsync("psa-warn", ("pod-security.kubernetes.io/warn", "baseline"));
        const string deployment = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}},
              "template":{"metadata":{"labels":{"app":"web"}},"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"busybox:1.35","securityContext":{"privileged":true}}]}}}}
            """;

        var response = await PostAsync("/apis/apps/v1/namespaces/psa-warn/deployments", deployment);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(
            ["299 - \"would violate PodSecurity \\\"baseline:latest\\\": host namespaces (hostNetwork=true), privileged (container \\\"c\\\" must not set securityContext.privileged=true)\""],
            response.Headers.GetValues("Warning"));
    }

    [Fact]
    public async Task LabelThenCreate_TheNextRequestSeesTheNewLabels()
    {
        await CreateNamespaceAsync("psa-fresh");
        for (var i = 0; i < 10; i++)
        {
            await LabelAsync("psa-fresh", "restricted");
            var refused = await PostAsync("/api/v1/namespaces/psa-fresh/pods", PrivilegedPod.Replace("NAME", $"p{i}", StringComparison.Ordinal));
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"round {i}: {refused.StatusCode}");

            await LabelAsync("psa-fresh", "privileged");
            var admitted = await PostAsync("/api/v1/namespaces/psa-fresh/pods", PrivilegedPod.Replace("NAME", $"p{i}", StringComparison.Ordinal));
            Assert.True(admitted.StatusCode == HttpStatusCode.Created, $"round {i}: {admitted.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, (await server.Admin.DeleteAsync($"/api/v1/namespaces/psa-fresh/pods/p{i}?gracePeriodSeconds=0")).StatusCode);
        }
    }

    [Fact]
    public async Task NamespaceWithAnInvalidLevel_Is422()
    {
        var response = await PostAsync("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"psa-bad","labels":{"pod-security.kubernetes.io/enforce":"strict"}}}""");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(
            "Namespace \"psa-bad\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            (string?)status["message"]);
    }

    [Fact]
    public async Task TighteningEnforce_WarnsAboutTheExistingPodsThatViolateIt()
    {
        await CreateNamespaceAsync("psa-tighten");
        Assert.Equal(HttpStatusCode.Created, (await PostAsync("/api/v1/namespaces/psa-tighten/pods", PrivilegedPod.Replace("NAME", "old", StringComparison.Ordinal))).StatusCode);

        var response = await LabelAsync("psa-tighten", "baseline");

        Assert.Equal(
            [
                "299 - \"existing pods in namespace \\\"psa-tighten\\\" violate the new PodSecurity enforce level \\\"baseline:latest\\\"\"",
                "299 - \"old: privileged\"",
            ],
            response.Headers.GetValues("Warning"));
    }

    private async Task CreateNamespaceAsync(string name, params (string Key, string Value)[] labels)
    {
        var ns = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) } };
        var response = await server.Admin.PostAsJsonAsync("/api/v1/namespaces", ns);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Flotilla.Tests.Shared.DefaultServiceAccounts.AddAsync(server.App.Services, name);
    }

    private async Task<HttpResponseMessage> LabelAsync(string ns, string level)
    {
        using var patch = new StringContent("{\"metadata\":{\"labels\":{\"pod-security.kubernetes.io/enforce\":\"" + level + "\"}}}", Encoding.UTF8, "application/merge-patch+json");
        var response = await server.Admin.PatchAsync($"/api/v1/namespaces/{ns}", patch);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await server.Admin.PostAsync(path, content);
    }
}
