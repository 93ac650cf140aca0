using System.Net;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using static Flotilla.ApiServer.Tests.Auth.RbacClient;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>The default roles as a running server keeps them: aggregated, and reconciled at start.</summary>
public sealed class RbacAggregationTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>
{
    [Fact]
    public async Task AdminRole_PicksUpALabelledClusterRole_FollowsItsChanges_AndDropsItWhenDeleted()
    {
        await server.Admin.WaitForDefaultAggregationAsync();
        await server.Admin.CreatedAsync($"{RbacApi}/clusterroles", CronTabs("get"));

        await server.Admin.WaitForRulesAsync("admin", rules => rules.HasResource("crontabs"));
        var edit = JsonNode.Parse(await server.Admin.GetStringAsync($"{RbacApi}/clusterroles/edit"))!;
        Assert.False(((JsonArray)edit["rules"]!).HasResource("crontabs"));

        var (code, _) = await server.Admin.PutAsync($"{RbacApi}/clusterroles/crontab-admin", CronTabs("get", "delete"));
        Assert.Equal(HttpStatusCode.OK, code);
        await server.Admin.WaitForRulesAsync("admin", rules => rules.Any(r => r!["resources"]!.AsArray().Any(x => (string?)x == "crontabs")
            && r["verbs"]!.AsArray().Any(v => (string?)v == "delete")));

        using var deleted = await server.Admin.DeleteAsync($"{RbacApi}/clusterroles/crontab-admin");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await server.Admin.WaitForRulesAsync("admin", rules => !rules.HasResource("crontabs") && rules.HasResource("localsubjectaccessreviews"));
    }

    [Fact]
    public async Task Restart_ReconcilesChangedDefaults_ButLeavesAutoupdateFalseAlone()
    {
        await server.Admin.PutAsync($"{RbacApi}/clusterroles/system:basic-user", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"system:basic-user"},
             "rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}]}
            """);
        await server.Admin.PutAsync($"{RbacApi}/clusterroles/system:public-info-viewer", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"system:public-info-viewer",
             "annotations":{"rbac.authorization.kubernetes.io/autoupdate":"false"}},"rules":[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]}
            """);
        await server.Admin.DeleteAsync($"{RbacApi}/clusterrolebindings/system:kube-scheduler");

        // What every start runs.
        await BootstrapPolicy.EnsureAsync(server.App.Services.GetRequiredService<ResourceRegistry>(), CancellationToken.None);

        var basic = JsonNode.Parse(await server.Admin.GetStringAsync($"{RbacApi}/clusterroles/system:basic-user"))!;
        var rules = (JsonArray)basic["rules"]!;
        Assert.True(rules.HasResource("configmaps"));
        Assert.True(rules.HasResource("selfsubjectrulesreviews"));
        Assert.True(rules.HasResource("selfsubjectreviews"));
        Assert.Equal("true", (string?)basic["metadata"]!["annotations"]!["rbac.authorization.kubernetes.io/autoupdate"]);

        var viewer = JsonNode.Parse(await server.Admin.GetStringAsync($"{RbacApi}/clusterroles/system:public-info-viewer"))!;
        Assert.Single((JsonArray)viewer["rules"]!);

        var scheduler = JsonNode.Parse(await server.Admin.GetStringAsync($"{RbacApi}/clusterrolebindings/system:kube-scheduler"))!;
        Assert.Equal("system:kube-scheduler", (string?)scheduler["subjects"]![0]!["name"]);
    }

    private static string CronTabs(params string[] verbs) => $$$"""
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"crontab-admin",
         "labels":{"rbac.authorization.k8s.io/aggregate-to-admin":"true"}},
         "rules":[{"apiGroups":["stable.example.com"],"resources":["crontabs"],"verbs":[{{{string.Join(',', verbs.Select(v => $"\"{v}\""))}}}]}]}
        """;
}
