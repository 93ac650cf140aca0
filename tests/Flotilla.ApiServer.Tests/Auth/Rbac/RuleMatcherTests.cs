using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Rbac;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth.Rbac;

public sealed class RuleMatcherTests
{
    private static readonly UserInfo Jane = new("jane", ["system:authenticated"]);

    public static TheoryData<V1PolicyRule, Attributes, bool> Cases => new()
    {
        { Rule(["get", "list"], [""], ["pods"]), Resource("list", "", "pods"), true },
        { Rule(["get"], [""], ["pods"]), Resource("list", "", "pods"), false },
        { Rule(["*"], ["*"], ["*"]), Resource("delete", "apps", "deployments"), true },
        { Rule(["get"], ["apps"], ["deployments"]), Resource("get", "", "deployments"), false },
        { Rule(["get"], [""], ["pods"]), Resource("get", "", "pods", "log"), false },
        { Rule(["get"], [""], ["pods/log"]), Resource("get", "", "pods", "log"), true },
        { Rule(["get"], [""], ["*/status"]), Resource("get", "", "pods", "status"), true },
        { new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["configmaps"], ResourceNames = ["app-config"] }, Resource("get", "", "configmaps", name: "app-config"), true },
        { new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["configmaps"], ResourceNames = ["app-config"] }, Resource("get", "", "configmaps", name: "other"), false },
        { new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz"] }, new Attributes(Jane, "get", false, Path: "/healthz"), true },
        { new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/apis/*"] }, new Attributes(Jane, "get", false, Path: "/apis/apps/v1"), true },
        { new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/apis"] }, new Attributes(Jane, "get", false, Path: "/apis/apps"), false },
        { new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["*"] }, Resource("get", "", "pods"), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Allows_MatchesUpstreamRuleSemantics(V1PolicyRule rule, Attributes request, bool allowed) =>
        Assert.Equal(allowed, RuleMatcher.Allows(rule, request));

    private static V1PolicyRule Rule(string[] verbs, string[] groups, string[] resources) =>
        new() { Verbs = verbs, ApiGroups = groups, Resources = resources };

    private static Attributes Resource(string verb, string group, string resource, string subresource = "", string name = "") =>
        new(Jane, verb, true, group, resource, subresource, "default", name);
}
