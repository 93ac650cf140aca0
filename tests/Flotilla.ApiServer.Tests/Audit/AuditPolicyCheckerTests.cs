using Flotilla.ApiServer.Audit;
using Flotilla.ApiServer.Auth;

namespace Flotilla.ApiServer.Tests.Audit;

public sealed class AuditPolicyCheckerTests
{
    private static readonly UserInfo Alice = new("alice", ["devs", "system:authenticated"]);
    private static readonly UserInfo Unauthenticated = new(string.Empty, []);

    private static Attributes Resource(string verb, string resource, string subresource = "", string ns = "default", string name = "", string group = "", UserInfo? user = null) =>
        new(user ?? Alice, verb, true, group, resource, subresource, ns, name, "/api/v1/x");

    private static Attributes NonResource(string path, string verb = "get", UserInfo? user = null) =>
        new(user ?? Alice, verb, false, Path: path);

    // Which level a one-rule policy (rule at RequestResponse, nothing else) gives a request: the rule matched or not.
    private static bool Matches(AuditPolicyRule rule, Attributes request) =>
        new AuditPolicyChecker(new AuditPolicy { Rules = [rule with { Level = AuditLevel.Request }] }).Evaluate(request).Level == AuditLevel.Request;

    private static AuditPolicyRule Rule() => new() { Level = AuditLevel.Request };

    private static AuditGroupResources Group(string group, params string[] resources) => new(group, resources, []);

    public static TheoryData<string, AuditPolicyRule, Attributes, bool> Cases => new()
    {
        { "users: listed user", Rule() with { Users = ["alice"] }, Resource("get", "pods"), true },
        { "users: other user", Rule() with { Users = ["bob"] }, Resource("get", "pods"), false },
        { "users: unauthenticated", Rule() with { Users = ["alice", ""] }, Resource("get", "pods", user: Unauthenticated), false },
        { "userGroups: member", Rule() with { UserGroups = ["ops", "devs"] }, Resource("get", "pods"), true },
        { "userGroups: not a member", Rule() with { UserGroups = ["ops"] }, Resource("get", "pods"), false },
        { "userGroups: unauthenticated", Rule() with { UserGroups = ["system:unauthenticated"] }, Resource("get", "pods", user: Unauthenticated), false },
        { "verbs: listed", Rule() with { Verbs = ["get", "list"] }, Resource("list", "pods"), true },
        { "verbs: not listed", Rule() with { Verbs = ["get", "list"] }, Resource("create", "pods"), false },
        { "verbs: non-resource method", Rule() with { Verbs = ["post"] }, NonResource("/apis", "post"), true },
        { "resources: plain", Rule() with { Resources = [Group("", "pods")] }, Resource("get", "pods"), true },
        { "resources: plain does not match its subresource", Rule() with { Resources = [Group("", "pods")] }, Resource("get", "pods", "log"), false },
        { "resources: subresource", Rule() with { Resources = [Group("", "pods/log")] }, Resource("get", "pods", "log"), true },
        { "resources: subresource does not match the resource", Rule() with { Resources = [Group("", "pods/log")] }, Resource("get", "pods"), false },
        { "resources: other subresource", Rule() with { Resources = [Group("", "pods/log")] }, Resource("get", "pods", "exec"), false },
        { "resources: * matches a resource", Rule() with { Resources = [Group("", "*")] }, Resource("get", "services"), true },
        { "resources: * matches a subresource", Rule() with { Resources = [Group("", "*")] }, Resource("get", "pods", "status"), true },
        { "resources: * only in its group", Rule() with { Resources = [Group("", "*")] }, Resource("get", "deployments", group: "apps"), false },
        { "resources: pods/* matches a subresource", Rule() with { Resources = [Group("", "pods/*")] }, Resource("get", "pods", "log"), true },
        { "resources: pods/* matches pods itself, as upstream's checker", Rule() with { Resources = [Group("", "pods/*")] }, Resource("get", "pods"), true },
        { "resources: pods/* not other resources", Rule() with { Resources = [Group("", "pods/*")] }, Resource("get", "services", "status"), false },
        { "resources: */scale", Rule() with { Resources = [Group("apps", "*/scale")] }, Resource("update", "deployments", "scale", group: "apps"), true },
        { "resources: */scale not the resource", Rule() with { Resources = [Group("apps", "*/scale")] }, Resource("update", "deployments", group: "apps"), false },
        { "resources: */scale not another subresource", Rule() with { Resources = [Group("apps", "*/scale")] }, Resource("update", "deployments", "status", group: "apps"), false },
        { "resources: a group with no resources is every resource in it", Rule() with { Resources = [Group("apps")] }, Resource("delete", "statefulsets", group: "apps"), true },
        { "resources: group must match", Rule() with { Resources = [Group("apps", "deployments")] }, Resource("get", "deployments", group: "extensions"), false },
        { "resourceNames: named", Rule() with { Resources = [new("", ["configmaps"], ["app-config"])] }, Resource("get", "configmaps", name: "app-config"), true },
        { "resourceNames: other name", Rule() with { Resources = [new("", ["configmaps"], ["app-config"])] }, Resource("get", "configmaps", name: "other"), false },
        { "resourceNames: a list has no name", Rule() with { Resources = [new("", ["configmaps"], ["app-config"])] }, Resource("list", "configmaps"), false },
        { "resources: never a non-resource request", Rule() with { Resources = [Group("", "*")] }, NonResource("/api"), false },
        { "namespaces: listed", Rule() with { Namespaces = ["kube-system"] }, Resource("get", "pods", ns: "kube-system"), true },
        { "namespaces: not listed", Rule() with { Namespaces = ["kube-system"] }, Resource("get", "pods"), false },
        { "namespaces: empty string is cluster scope", Rule() with { Namespaces = [""] }, Resource("get", "nodes", ns: ""), true },
        { "namespaces: never a non-resource request", Rule() with { Namespaces = [""] }, NonResource("/healthz"), false },
        { "namespaces and resources together", Rule() with { Namespaces = ["kube-system"], Resources = [Group("", "pods")] }, Resource("get", "services", ns: "kube-system"), false },
        { "nonResourceURLs: exact", Rule() with { NonResourceUrls = ["/metrics"] }, NonResource("/metrics"), true },
        { "nonResourceURLs: exact is not a prefix", Rule() with { NonResourceUrls = ["/metrics"] }, NonResource("/metrics/slis"), false },
        { "nonResourceURLs: * suffix", Rule() with { NonResourceUrls = ["/healthz*"] }, NonResource("/healthz/etcd"), true },
        { "nonResourceURLs: * suffix matches the bare path", Rule() with { NonResourceUrls = ["/healthz*"] }, NonResource("/healthz"), true },
        { "nonResourceURLs: * suffix, other path", Rule() with { NonResourceUrls = ["/healthz*"] }, NonResource("/livez"), false },
        { "nonResourceURLs: *", Rule() with { NonResourceUrls = ["*"] }, NonResource("/openapi/v2"), true },
        { "nonResourceURLs: never a resource request", Rule() with { NonResourceUrls = ["*"] }, Resource("get", "pods"), false },
        { "an empty rule matches resource requests", Rule(), Resource("get", "pods"), true },
        { "an empty rule matches non-resource requests", Rule(), NonResource("/version"), true },
        { "an empty rule matches unauthenticated requests", Rule(), Resource("list", "pods", user: Unauthenticated), true },
        { "every field must match", Rule() with { Users = ["alice"], Verbs = ["delete"] }, Resource("get", "pods"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_Rule_MatchesAsUpstream(string name, AuditPolicyRule rule, Attributes request, bool expected)
    {
        Assert.True(Matches(rule, request) == expected, name);
    }

    [Fact]
    public void Evaluate_FirstMatchingRuleWins_NoMatchIsNone()
    {
        var checker = new AuditPolicyChecker(new AuditPolicy
        {
            Rules =
            [
                new() { Level = AuditLevel.None, Users = ["system:kube-proxy"], Verbs = ["watch"] },
                new() { Level = AuditLevel.RequestResponse, Resources = [Group("", "pods")] },
                new() { Level = AuditLevel.Metadata, Namespaces = ["default"] },
            ],
        });

        Assert.Equal(AuditLevel.None, checker.Evaluate(Resource("watch", "pods", user: new UserInfo("system:kube-proxy", []))).Level);
        Assert.Equal(AuditLevel.RequestResponse, checker.Evaluate(Resource("watch", "pods")).Level);
        Assert.Equal(AuditLevel.Metadata, checker.Evaluate(Resource("get", "services")).Level);
        Assert.Equal(AuditLevel.None, checker.Evaluate(Resource("get", "services", ns: "kube-system")).Level);
        Assert.Equal(AuditLevel.None, checker.Evaluate(NonResource("/api")).Level);
    }

    [Fact]
    public void Evaluate_OmitStages_AreThePolicysJoinedWithTheRules()
    {
        var checker = new AuditPolicyChecker(new AuditPolicy
        {
            OmitStages = [AuditStage.RequestReceived],
            Rules = [new() { Level = AuditLevel.Metadata, Verbs = ["watch"], OmitStages = [AuditStage.ResponseStarted] }],
        });

        var watch = checker.Evaluate(Resource("watch", "pods"));
        Assert.Equal([AuditStage.RequestReceived, AuditStage.ResponseStarted], watch.OmitStages.Order());
        var unmatched = checker.Evaluate(Resource("get", "pods"));
        Assert.Equal(AuditLevel.None, unmatched.Level);
        Assert.Equal([AuditStage.RequestReceived], unmatched.OmitStages);
    }

    [Fact]
    public void Evaluate_OmitManagedFields_RuleOverridesPolicy()
    {
        var checker = new AuditPolicyChecker(new AuditPolicy
        {
            OmitManagedFields = true,
            Rules =
            [
                new() { Level = AuditLevel.Request, Verbs = ["create"], OmitManagedFields = false },
                new() { Level = AuditLevel.Request },
            ],
        });

        Assert.False(checker.Evaluate(Resource("create", "pods")).OmitManagedFields);
        Assert.True(checker.Evaluate(Resource("update", "pods")).OmitManagedFields);
    }

    [Theory]
    [InlineData(AuditLevel.RequestResponse, "", "secrets", "", AuditLevel.Metadata)]
    [InlineData(AuditLevel.Request, "", "secrets", "", AuditLevel.Metadata)]
    [InlineData(AuditLevel.Metadata, "", "secrets", "", AuditLevel.Metadata)]
    [InlineData(AuditLevel.None, "", "secrets", "", AuditLevel.None)]
    [InlineData(AuditLevel.RequestResponse, "", "secrets", "status", AuditLevel.Metadata)]
    [InlineData(AuditLevel.RequestResponse, "", "configmaps", "", AuditLevel.RequestResponse)]
    [InlineData(AuditLevel.RequestResponse, "example.com", "secrets", "", AuditLevel.RequestResponse)]
    public void Evaluate_Secrets_NeverAboveMetadata(AuditLevel policyLevel, string group, string resource, string subresource, AuditLevel expected)
    {
        var checker = new AuditPolicyChecker(new AuditPolicy { Rules = [new() { Level = policyLevel }] });
        Assert.Equal(expected, checker.Evaluate(Resource("create", resource, subresource, group: group)).Level);
    }
}
