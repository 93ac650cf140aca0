using Flotilla.Api.Errors;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Rbac;
using static Flotilla.ApiServer.Tests.Auth.Rbac.RbacCaches;

namespace Flotilla.ApiServer.Tests.Auth.Rbac;

public sealed class RuleResolverTests
{
    private static readonly RbacCaches Policy = new(
        ClusterRole("reader", Rule("get", "pods")),
        ClusterRole("node-reader", Rule("list", "nodes")),
        Role("team-a", "writer", Rule("create", "pods")),
        Role("team-b", "writer", Rule("delete", "pods")),
        ClusterBinding("nodes-for-ops", "node-reader", Group("ops")),
        Binding("team-a", "jane-reads", "ClusterRole", "reader", User("jane")),
        Binding("team-a", "jane-writes", "Role", "writer", User("jane")),
        Binding("team-b", "jane-deletes", "Role", "writer", User("jane")),
        Binding("team-a", "robot", "Role", "writer", ServiceAccount(null, "robot")),
        Binding("team-a", "dangling", "ClusterRole", "missing", Group("ops")));

    [Fact]
    public void RulesFor_ClusterBindingsEverywhere_RoleBindingsOnlyInTheirNamespace()
    {
        var resolver = Policy.Resolver();
        var jane = new UserInfo("jane", ["ops", "system:authenticated"]);

        Assert.Equal(["list nodes"], Describe(resolver.RulesFor(jane, string.Empty)));
        Assert.Equal(["list nodes", "get pods", "create pods"], Describe(resolver.RulesFor(jane, "team-a")));
        Assert.Equal(["list nodes", "delete pods"], Describe(resolver.RulesFor(jane, "team-b")));
        Assert.Empty(resolver.RulesFor(new UserInfo("bob", []), "team-a").Rules);
    }

    [Fact]
    public void RulesFor_ServiceAccountSubject_DefaultsToTheBindingsNamespace()
    {
        var resolver = Policy.Resolver();

        Assert.Equal(["create pods"], Describe(resolver.RulesFor(new UserInfo("system:serviceaccount:team-a:robot", []), "team-a")));
        Assert.Empty(resolver.RulesFor(new UserInfo("system:serviceaccount:team-b:robot", []), "team-a").Rules);
    }

    [Fact]
    public void RulesFor_BindingToAMissingRole_IsAnErrorAndTheOtherRulesStillCount()
    {
        var resolved = Policy.Resolver().RulesFor(new UserInfo("ops-member", ["ops"]), "team-a");

        Assert.Equal(["list nodes"], Describe(resolved));
        Assert.Equal("clusterroles.rbac.authorization.k8s.io \"missing\" not found", resolved.ErrorText);
    }

    [Fact]
    public void RoleReferenceRules_MissingRole_Is404()
    {
        var e = Assert.Throws<StatusException>(() => Policy.Resolver().RoleReferenceRules(new k8s.Models.V1RoleRef { Kind = "Role", Name = "writer" }, "team-c"));
        Assert.Equal(404, e.Code);
        Assert.Equal("roles.rbac.authorization.k8s.io \"writer\" not found", e.Message);
    }

    [Fact]
    public void Authorizer_UsesTheSameRules()
    {
        var rbac = new RbacAuthorizer(Policy.Resolver());
        var jane = new UserInfo("jane", ["system:authenticated"]);

        Assert.True(rbac.Allows(new Attributes(jane, "create", true, Resource: "pods", Namespace: "team-a")));
        Assert.False(rbac.Allows(new Attributes(jane, "create", true, Resource: "pods", Namespace: "team-b")));
        Assert.False(rbac.Allows(new Attributes(jane, "get", true, Resource: "pods")));
    }

    private static List<string> Describe(ResolvedRules resolved) => [.. resolved.Rules.Select(r => $"{r.Verbs[0]} {r.Resources[0]}")];
}
