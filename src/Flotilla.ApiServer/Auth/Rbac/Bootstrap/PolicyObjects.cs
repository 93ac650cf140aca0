using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac.Bootstrap;

/// <summary>
/// The metadata and shapes every bootstrap object shares (upstream's addDefaultMetadata): the
/// <c>kubernetes.io/bootstrapping: rbac-defaults</c> label and <c>rbac.authorization.kubernetes.io/autoupdate: "true"</c>.
/// </summary>
public static class PolicyObjects
{
    public const string RbacGroup = "rbac.authorization.k8s.io";
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";
    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    public static readonly string[] Read = ["get", "list", "watch"];
    public static readonly string[] ReadWrite = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
    public static readonly string[] Write = ["create", "update", "patch", "delete", "deletecollection"];

    public static RuleBuilder Rule(params string[] verbs) => RuleBuilder.Verbs(verbs);

    /// <summary>Events written through either events API (upstream's eventsRule).</summary>
    public static RuleBuilder Events() => Rule("create", "update", "patch").Groups("", "events.k8s.io").Resources("events");

    public static V1ClusterRole ClusterRole(string name, params RuleBuilder[] rules) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta(name, null),
        Rules = [.. rules.Select(r => r.Rule())],
    };

    /// <summary>A role whose rules the aggregation controller fills from the roles labelled <paramref name="aggregateFrom"/>.</summary>
    public static V1ClusterRole AggregatedClusterRole(string name, string aggregateFrom) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta(name, null),
        AggregationRule = new V1AggregationRule
        {
            ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [aggregateFrom] = "true" } }],
        },
    };

    public static V1Role Role(string ns, string name, params RuleBuilder[] rules) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = Meta(name, ns),
        Rules = [.. rules.Select(r => r.Rule())],
    };

    public static V1ClusterRoleBinding ClusterRoleBinding(string name, params Rbacv1Subject[] subjects) => ClusterRoleBinding(name, name, subjects);

    public static V1ClusterRoleBinding ClusterRoleBinding(string name, string role, params Rbacv1Subject[] subjects) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Meta(name, null),
        RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "ClusterRole", Name = role },
        Subjects = subjects.Length == 0 ? null : [.. subjects],
    };

    public static V1RoleBinding RoleBinding(string ns, string name, string role, params Rbacv1Subject[] subjects) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "RoleBinding",
        Metadata = Meta(name, ns),
        RoleRef = new V1RoleRef { ApiGroup = RbacGroup, Kind = "Role", Name = role },
        Subjects = [.. subjects],
    };

    public static Rbacv1Subject User(string name) => new() { ApiGroup = RbacGroup, Kind = "User", Name = name };

    public static Rbacv1Subject Group(string name) => new() { ApiGroup = RbacGroup, Kind = "Group", Name = name };

    public static Rbacv1Subject ServiceAccount(string ns, string name) => new() { Kind = "ServiceAccount", NamespaceProperty = ns, Name = name };

    /// <summary>Adds labels (the aggregation labels of the default roles) to a role.</summary>
    public static V1ClusterRole Labelled(this V1ClusterRole role, params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(role);
        foreach (var label in labels)
        {
            role.Metadata.Labels[label] = "true";
        }

        return role;
    }

    private static V1ObjectMeta Meta(string name, string? ns) => new()
    {
        Name = name,
        NamespaceProperty = ns,
        Labels = new Dictionary<string, string> { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        Annotations = new Dictionary<string, string> { [AutoUpdateAnnotation] = "true" },
    };
}
