using Flotilla.ApiServer.Auth.Rbac.Bootstrap;
using k8s;
using k8s.Models;
using static Flotilla.ApiServer.Auth.Rbac.Bootstrap.PolicyReconciliation;

namespace Flotilla.ApiServer.Tests.Auth.Rbac.Bootstrap;

public sealed class PolicyReconciliationTests
{
    private static readonly V1ClusterRole Expected = PolicyObjects.ClusterRole("system:basic-user",
        PolicyObjects.Rule("create").Groups("authorization.k8s.io").Resources("selfsubjectaccessreviews", "selfsubjectrulesreviews"));

    [Fact]
    public void ReconcileClusterRole_AddsMissingRuleAtoms_KeepsAddedRules()
    {
        var existing = Copy(Expected);
        existing.Rules = [new V1PolicyRule { Verbs = ["create"], ApiGroups = ["authorization.k8s.io"], Resources = ["selfsubjectaccessreviews"] },
            new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["pods"] }];

        Assert.Equal(Outcome.Update, ReconcileClusterRole(existing, Expected));
        Assert.Equal(3, existing.Rules.Count);
        Assert.Equal("pods", existing.Rules[1].Resources[0]);
        Assert.Equal(["selfsubjectrulesreviews"], existing.Rules[2].Resources);
    }

    [Fact]
    public void ReconcileClusterRole_Unchanged_IsNone_AndMissingLabelsAndAnnotationsAreAdded_WithoutOverwriting()
    {
        Assert.Equal(Outcome.None, ReconcileClusterRole(Copy(Expected), Expected));

        var existing = Copy(Expected);
        existing.Metadata.Labels = new Dictionary<string, string> { ["kubernetes.io/bootstrapping"] = "mine" };
        existing.Metadata.Annotations = null;
        Assert.Equal(Outcome.Update, ReconcileClusterRole(existing, Expected));
        Assert.Equal("mine", existing.Metadata.Labels["kubernetes.io/bootstrapping"]);
        Assert.Equal("true", existing.Metadata.Annotations![PolicyObjects.AutoUpdateAnnotation]);
    }

    [Fact]
    public void ReconcileClusterRole_AutoupdateFalse_IsLeftAlone()
    {
        var existing = Copy(Expected);
        existing.Rules = [];
        existing.Metadata.Annotations[PolicyObjects.AutoUpdateAnnotation] = "false";

        Assert.Equal(Outcome.None, ReconcileClusterRole(existing, Expected));
        Assert.Empty(existing.Rules);
    }

    [Fact]
    public void ReconcileClusterRole_AggregationSelectors_AddedWhenMissing_RemovedWhenNotExpected()
    {
        var admin = DefaultClusterRoles.All().Single(r => r.Metadata.Name == "admin");
        var existing = Copy(admin);
        existing.AggregationRule = null;
        existing.Rules = [new V1PolicyRule { Verbs = ["get"], ApiGroups = [""], Resources = ["pods"] }];

        Assert.Equal(Outcome.Update, ReconcileClusterRole(existing, admin));
        Assert.Equal(PolicyObjects.AggregateToAdmin, existing.AggregationRule!.ClusterRoleSelectors.Single().MatchLabels.Keys.Single());

        var plain = Copy(Expected);
        plain.AggregationRule = admin.AggregationRule;
        Assert.Equal(Outcome.Update, ReconcileClusterRole(plain, Expected));
        Assert.Null(plain.AggregationRule);
    }

    [Fact]
    public void ReconcileBinding_AddsMissingSubjects_RecreatesOnAnotherRoleRef_LeavesProtectedAlone()
    {
        var expected = PolicyObjects.ClusterRoleBinding("system:kube-scheduler", PolicyObjects.User("system:kube-scheduler"));
        var existing = Copy(expected);
        existing.Subjects = [PolicyObjects.User("someone")];
        Assert.Equal(Outcome.Update, ReconcileClusterRoleBinding(existing, expected));
        Assert.Equal(["someone", "system:kube-scheduler"], existing.Subjects.Select(s => s.Name));

        var moved = Copy(expected);
        moved.RoleRef.Name = "view";
        Assert.Equal(Outcome.Recreate, ReconcileClusterRoleBinding(moved, expected));

        moved.Metadata.Annotations[PolicyObjects.AutoUpdateAnnotation] = "false";
        Assert.Equal(Outcome.None, ReconcileClusterRoleBinding(moved, expected));
    }

    private static T Copy<T>(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}
