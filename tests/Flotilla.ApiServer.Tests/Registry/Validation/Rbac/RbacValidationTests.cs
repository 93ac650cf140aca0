using Flotilla.ApiServer.Registry.Validation.Rbac;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Rbac;

/// <summary>Upstream's rbac validation tests: rules, role references, subjects.</summary>
public sealed class RbacValidationTests
{
    [Fact]
    public void ValidateRole_RulesWithoutVerbsOrResources_Required()
    {
        var role = new V1Role { Metadata = ValidObjects.Meta("reader"), Rules = [new V1PolicyRule(), new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz"] }] };

        Errors.Equal(
            RbacValidation.ValidateRole(role),
            "rules[0].verbs: Required value: verbs must contain at least one value",
            "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
            "rules[0].resources: Required value: resource rules must supply at least one resource",
            "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs");
    }

    [Fact]
    public void ValidateClusterRole_NonResourceUrls_Valid() =>
        Errors.Equal(RbacValidation.ValidateClusterRole(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "health" }, Rules = [new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz"] }] }));

    [Fact]
    public void ValidateClusterRole_AggregationWithoutSelectors_Required() =>
        Errors.Equal(
            RbacValidation.ValidateClusterRole(new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "agg" }, AggregationRule = new V1AggregationRule() }),
            "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil");

    [Fact]
    public void ValidateRoleBinding_BadReferenceAndSubjects_UpstreamErrors()
    {
        var binding = new V1RoleBinding
        {
            Metadata = ValidObjects.Meta("bind"),
            RoleRef = new V1RoleRef { ApiGroup = "example.com", Kind = "Group", Name = "" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "default", ApiGroup = "rbac.authorization.k8s.io" }, new Rbacv1Subject { Kind = "Robot", Name = "r2" }],
        };

        Errors.Equal(
            RbacValidation.ValidateRoleBinding(binding),
            "roleRef.apiGroup: Unsupported value: \"example.com\": supported values: \"rbac.authorization.k8s.io\"",
            "roleRef.kind: Unsupported value: \"Group\": supported values: \"Role\", \"ClusterRole\"",
            "roleRef.name: Required value",
            "subjects[0].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"",
            "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"");
    }

    [Fact]
    public void ValidateClusterRoleBinding_ServiceAccountWithoutNamespace_Required()
    {
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "bind" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "default" }],
        };

        Errors.Equal(
            RbacValidation.ValidateClusterRoleBinding(binding),
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "subjects[0].namespace: Required value");
    }

    [Fact]
    public void ValidateRoleBindingUpdate_ChangedRoleRef_Rejected()
    {
        var old = new V1RoleBinding { Metadata = ValidObjects.Meta("bind"), RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "reader" } };
        var binding = new V1RoleBinding { Metadata = ValidObjects.Meta("bind"), RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "writer" } };

        Errors.Equal(
            RbacValidation.ValidateRoleBindingUpdate(binding, old),
            "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"writer\"}: cannot change roleRef");
    }
}
