using System.Net;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Tests.Integration;
using static Flotilla.ApiServer.Tests.Auth.RbacClient;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>Escalation prevention over HTTPS: a user grants only what they hold, unless allowed to bind or escalate.</summary>
public sealed class RbacEscalationTests(SecureApiServerFixture server) : IClassFixture<SecureApiServerFixture>
{
    private const string CreateBindings = """[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["rolebindings","roles"],"verbs":["create"]}]""";

    [Fact]
    public async Task Editor_CannotBindAdmin_WithTheMissingPermissionsListed_UntilAllowedToBindIt()
    {
        var ns = await NamespaceAsync("esc-bind");
        await server.Admin.WaitForDefaultAggregationAsync();
        await GrantAsync(ns, "ed", "ClusterRole", "edit");
        await server.Admin.CreatedAsync($"{RbacApi}/namespaces/{ns}/roles", Role("rbac-writer", CreateBindings));
        await GrantAsync(ns, "ed", "Role", "rbac-writer", "ed-writes");
        var ed = server.ClientFor("ed");

        var (code, status) = await ed.PostAsync($"{RbacApi}/namespaces/{ns}/rolebindings", RoleBinding("friend-admin", "ClusterRole", "admin", "friend"));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", (string?)status!["reason"]);
        Assert.Equal(
            "rolebindings.rbac.authorization.k8s.io \"friend-admin\" is forbidden: user \"ed\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"authorization.k8s.io\"], Resources:[\"localsubjectaccessreviews\"], Verbs:[\"create\"]}\n"
            + "{APIGroups:[\"rbac.authorization.k8s.io\"], Resources:[\"rolebindings\"], Verbs:[\"delete\" \"deletecollection\" \"get\" \"list\" \"patch\" \"update\" \"watch\"]}\n"
            + "{APIGroups:[\"rbac.authorization.k8s.io\"], Resources:[\"roles\"], Verbs:[\"delete\" \"deletecollection\" \"get\" \"list\" \"patch\" \"update\" \"watch\"]}",
            (string?)status["message"]);
        Assert.Equal("friend-admin", (string?)status["details"]!["name"]);

        // The bind verb on exactly that ClusterRole, in this namespace, is enough.
        await server.Admin.CreatedAsync($"{RbacApi}/namespaces/{ns}/roles",
            Role("bind-admin", """[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"resourceNames":["admin"],"verbs":["bind"]}]"""));
        await GrantAsync(ns, "ed", "Role", "bind-admin", "ed-binds");
        await ed.CreatedAsync($"{RbacApi}/namespaces/{ns}/rolebindings", RoleBinding("friend-admin", "ClusterRole", "admin", "friend"));
    }

    [Fact]
    public async Task Editor_CannotCreateARoleWithVerbsTheyLack_ButCanWithTheirOwn_OrWithEscalate()
    {
        var ns = await NamespaceAsync("esc-role");
        await server.Admin.WaitForDefaultAggregationAsync();
        await GrantAsync(ns, "rita", "ClusterRole", "edit");
        await server.Admin.CreatedAsync($"{RbacApi}/namespaces/{ns}/roles", Role("rbac-writer", CreateBindings));
        await GrantAsync(ns, "rita", "Role", "rbac-writer", "rita-writes");
        var rita = server.ClientFor("rita", "team");

        var (code, status) = await rita.PostAsync($"{RbacApi}/namespaces/{ns}/roles",
            Role("quota-writer", """[{"apiGroups":[""],"resources":["resourcequotas"],"verbs":["get","create"]}]"""));

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal(
            "roles.rbac.authorization.k8s.io \"quota-writer\" is forbidden: user \"rita\" (groups=[\"team\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"resourcequotas\"], Verbs:[\"create\"]}",
            (string?)status!["message"]);

        await rita.CreatedAsync($"{RbacApi}/namespaces/{ns}/roles", Role("pod-reader", """[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]"""));

        // The escalate verb on roles (a ClusterRole bound in the namespace) allows any rules.
        await server.Admin.CreatedAsync($"{RbacApi}/clusterroles", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"esc-role-escalator"},
             "rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["roles"],"verbs":["create","escalate"]}]}
            """);
        await GrantAsync(ns, "rita", "ClusterRole", "esc-role-escalator", "rita-escalates");
        await rita.CreatedAsync($"{RbacApi}/namespaces/{ns}/roles", Role("quota-writer", """[{"apiGroups":[""],"resources":["resourcequotas"],"verbs":["get","create"]}]"""));
    }

    [Fact]
    public async Task NamespaceAdmin_CanGrantEdit_ButNotClusterRolesItDoesNotHold()
    {
        var ns = await NamespaceAsync("esc-admin");
        await server.Admin.WaitForDefaultAggregationAsync();
        await GrantAsync(ns, "nadia", "ClusterRole", "admin");
        var nadia = server.ClientFor("nadia");

        await nadia.CreatedAsync($"{RbacApi}/namespaces/{ns}/rolebindings", RoleBinding("dev-edit", "ClusterRole", "edit", "dev"));
        await nadia.CreatedAsync($"{RbacApi}/namespaces/{ns}/rolebindings", RoleBinding("dev-view", "ClusterRole", "view", "dev"));

        var (code, status) = await nadia.PostAsync($"{RbacApi}/namespaces/{ns}/rolebindings", RoleBinding("dev-root", "ClusterRole", "cluster-admin", "dev"));
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.StartsWith("rolebindings.rbac.authorization.k8s.io \"dev-root\" is forbidden: user \"nadia\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[\"*\"], Resources:[\"*\"], Verbs:[\"*\"]}",
            (string?)status!["message"]);

        // A binding to a role that does not exist is a 404, as upstream's role lookup answers.
        (code, status) = await nadia.PostAsync($"{RbacApi}/namespaces/{ns}/rolebindings", RoleBinding("ghost", "Role", "ghost", "dev"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("roles.rbac.authorization.k8s.io \"ghost\" not found", (string?)status!["message"]);
    }

    [Fact]
    public async Task AggregationRule_NeedsClusterAdmin_EvenWithCreateOnClusterRoles()
    {
        await server.Admin.CreatedAsync($"{RbacApi}/clusterroles", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"esc-agg-writer"},
             "rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"verbs":["create"]}]}
            """);
        await server.Admin.CreatedAsync($"{RbacApi}/clusterrolebindings", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"esc-agg-writer"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"esc-agg-writer"},
             "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"agg"}]}
            """);
        var agg = server.ClientFor("agg");

        var (code, status) = await agg.PostAsync($"{RbacApi}/clusterroles", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"esc-gatherer"},
             "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"any":"thing"}}]}}
            """);

        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("clusterroles.rbac.authorization.k8s.io \"esc-gatherer\" is forbidden: must have cluster-admin privileges to use the aggregationRule", (string?)status!["message"]);

        // Rules it holds are fine without an aggregationRule.
        await agg.CreatedAsync($"{RbacApi}/clusterroles", """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"esc-creator"},
             "rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["clusterroles"],"verbs":["create"]}]}
            """);
    }

    [Fact]
    public async Task SelfSubjectRulesReview_ListsTheUsersRulesInTheNamespace()
    {
        var ns = await NamespaceAsync("rules-review");
        await server.Admin.CreatedAsync($"{RbacApi}/namespaces/{ns}/roles", Role("pod-reader", """[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]"""));
        await GrantAsync(ns, "lena", "Role", "pod-reader");
        var lena = server.ClientFor("lena");

        var (code, review) = await lena.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            $$$"""{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"{{{ns}}}"}}""");

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("SelfSubjectRulesReview", (string?)review!["kind"]);
        var status = review["status"]!;
        Assert.False((bool)status["incomplete"]!);
        var resourceRules = status["resourceRules"]!.AsArray().Select(r => $"{List(r!["verbs"])} {List(r!["apiGroups"])} {List(r!["resources"])}").ToList();
        Assert.Contains("get,list  pods", resourceRules);
        Assert.Contains("create authorization.k8s.io selfsubjectaccessreviews,selfsubjectrulesreviews", resourceRules);
        Assert.Contains(status["nonResourceRules"]!.AsArray(), r => r!["nonResourceURLs"]!.AsArray().Any(u => (string?)u == "/apis/*"));

        // Elsewhere only what every authenticated user has.
        (_, review) = await lena.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"default"}}""");
        Assert.DoesNotContain(review!["status"]!["resourceRules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(x => (string?)x == "pods"));

        (code, review) = await lena.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{}}""");
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("no namespace on request", (string?)review!["message"]);
    }

    private static string List(JsonNode? values) => string.Join(',', values!.AsArray().Select(v => (string?)v));

    private async Task<string> NamespaceAsync(string name)
    {
        await server.Admin.CreatedAsync("/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}"}}""");
        return name;
    }

    private Task GrantAsync(string ns, string user, string kind, string role, string? name = null) =>
        server.Admin.CreatedAsync($"{RbacApi}/namespaces/{ns}/rolebindings", RoleBinding(name ?? $"{user}-{role}", kind, role, user));
}
