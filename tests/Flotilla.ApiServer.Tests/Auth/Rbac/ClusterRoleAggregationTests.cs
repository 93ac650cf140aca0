using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Auth.Rbac.Bootstrap;
using k8s.Models;
using static Flotilla.ApiServer.Tests.Auth.Rbac.RbacCaches;

namespace Flotilla.ApiServer.Tests.Auth.Rbac;

public sealed class ClusterRoleAggregationTests
{
    [Fact]
    public void Aggregate_UnionOfMatchingRoles_SortedByName_EachRuleOnce_WithoutItself()
    {
        var aggregate = Aggregated("monitoring", new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["team"] = "obs" } });
        aggregate.Rules = [Rule("stale", "pods")];
        var all = new[]
        {
            aggregate,
            Labelled(ClusterRole("zeta", Rule("get", "services"), Rule("get", "pods")), "team", "obs"),
            Labelled(ClusterRole("alpha", Rule("get", "pods")), "team", "obs"),
            Labelled(ClusterRole("other", Rule("delete", "nodes")), "team", "web"),
            ClusterRole("unlabelled", Rule("get", "secrets")),
        };

        var rules = ClusterRoleAggregation.Aggregate(aggregate, all)!;

        Assert.Equal(["get pods", "get services"], rules.Select(r => $"{r.Verbs[0]} {r.Resources[0]}"));
    }

    [Fact]
    public void Aggregate_SelectorsInOrder_MatchExpressionsToo()
    {
        var aggregate = Aggregated("both",
            new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["b"] = "true" } },
            new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "a", OperatorProperty = "Exists" }] });
        var all = new[] { aggregate, Labelled(ClusterRole("first", Rule("get", "a")), "a", "x"), Labelled(ClusterRole("second", Rule("get", "b")), "b", "true") };

        Assert.Equal(["b", "a"], ClusterRoleAggregation.Aggregate(aggregate, all)!.Select(r => r.Resources[0]));
    }

    [Fact]
    public void Aggregate_NoAggregationRule_OrAnInvalidSelector_IsNull()
    {
        Assert.Null(ClusterRoleAggregation.Aggregate(ClusterRole("plain", Rule("get", "pods")), []));
        var invalid = Aggregated("bad", new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "a", OperatorProperty = "Sometimes" }] });
        Assert.Null(ClusterRoleAggregation.Aggregate(invalid, [invalid]));
    }

    [Fact]
    public void Aggregate_DefaultRoles_PropagateViewIntoEditIntoAdmin_AndANewLabelledRoleIntoAdmin()
    {
        var crontabs = Labelled(ClusterRole("crontab-admin", new V1PolicyRule { Verbs = ["*"], ApiGroups = ["stable.example.com"], Resources = ["crontabs"] }),
            PolicyObjects.AggregateToAdmin, "true");
        var roles = DefaultClusterRoles.All().Append(crontabs).ToDictionary(r => r.Metadata.Name);

        // What the aggregator does on every change: recompute each aggregated role from the current set until nothing moves.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var role in roles.Values.Where(r => r.AggregationRule is not null).ToList())
            {
                var rules = ClusterRoleAggregation.Aggregate(role, roles.Values)!;
                if (!PolicyRuleEquality.SameRules(rules, role.Rules))
                {
                    role.Rules = rules;
                    changed = true;
                }
            }
        }

        var view = roles["view"].Rules;
        var edit = roles["edit"].Rules;
        var admin = roles["admin"].Rules;
        // view is what aggregates to it: upstream's own rules and metrics-server's reader role.
        var toView = roles["system:aggregate-to-view"].Rules.Concat(roles["system:aggregated-metrics-reader"].Rules).ToList();
        Assert.Equal(toView.Count, view.Count);
        Assert.True(PolicyComparator.Covers(view, toView).Covered && PolicyComparator.Covers(toView, view).Covered);
        Assert.True(PolicyComparator.Covers(edit, view).Covered);
        Assert.True(PolicyComparator.Covers(admin, edit).Covered);
        Assert.False(PolicyComparator.Covers(edit, admin).Covered);
        Assert.Contains(admin, r => r.Resources.Contains("crontabs"));
        Assert.DoesNotContain(edit, r => r.Resources.Contains("crontabs"));
        Assert.Contains(admin, r => r.Resources.Contains("localsubjectaccessreviews"));
    }

    private static V1ClusterRole Aggregated(string name, params V1LabelSelector[] selectors) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        AggregationRule = new V1AggregationRule { ClusterRoleSelectors = selectors },
    };

    private static V1ClusterRole Labelled(V1ClusterRole role, string key, string value)
    {
        role.Metadata.Labels = new Dictionary<string, string> { [key] = value };
        return role;
    }
}
