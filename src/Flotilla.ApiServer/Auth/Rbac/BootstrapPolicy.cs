using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// The ClusterRoles and ClusterRoleBindings every cluster starts with (upstream's bootstrap policy, the part that
/// lets clients discover the API and administrators act): cluster-admin for <c>system:masters</c>, discovery,
/// basic-user and public-info-viewer. Created when missing; never overwritten.
/// </summary>
public static class BootstrapPolicy
{
    private static readonly Dictionary<string, string> Labels = new() { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };

    public static async Task EnsureAsync(ResourceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var roles = registry.Find("rbac.authorization.k8s.io", "v1", "clusterroles")!;
        var bindings = registry.Find("rbac.authorization.k8s.io", "v1", "clusterrolebindings")!;
        foreach (var role in Roles())
        {
            await CreateIfMissingAsync(roles, role, cancellationToken);
        }

        foreach (var binding in Bindings())
        {
            await CreateIfMissingAsync(bindings, binding, cancellationToken);
        }
    }

    private static IEnumerable<V1ClusterRole> Roles()
    {
        yield return Role("cluster-admin",
            new V1PolicyRule { ApiGroups = ["*"], Resources = ["*"], Verbs = ["*"] },
            new V1PolicyRule { NonResourceURLs = ["*"], Verbs = ["*"] });
        yield return Role("system:discovery",
            new V1PolicyRule { NonResourceURLs = ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], Verbs = ["get"] });
        yield return Role("system:basic-user",
            new V1PolicyRule { ApiGroups = ["authorization.k8s.io"], Resources = ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], Verbs = ["create"] },
            new V1PolicyRule { ApiGroups = ["authentication.k8s.io"], Resources = ["selfsubjectreviews"], Verbs = ["create"] });
        yield return Role("system:public-info-viewer",
            new V1PolicyRule { NonResourceURLs = ["/healthz", "/livez", "/readyz", "/version", "/version/"], Verbs = ["get"] });
    }

    private static IEnumerable<V1ClusterRoleBinding> Bindings()
    {
        yield return Binding("cluster-admin", "cluster-admin", "system:masters");
        yield return Binding("system:discovery", "system:discovery", "system:authenticated");
        yield return Binding("system:basic-user", "system:basic-user", "system:authenticated");
        yield return Binding("system:public-info-viewer", "system:public-info-viewer", "system:authenticated", "system:unauthenticated");
    }

    private static V1ClusterRole Role(string name, params V1PolicyRule[] rules) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels, Annotations = new Dictionary<string, string> { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" } },
        Rules = rules,
    };

    private static V1ClusterRoleBinding Binding(string name, string role, params string[] groups) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = Labels, Annotations = new Dictionary<string, string> { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" } },
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
        Subjects = [.. groups.Select(g => new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = g })],
    };

    private static async Task CreateIfMissingAsync(ResourceStorage storage, k8s.IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
    {
        try
        {
            await storage.CreateAsync(null, obj, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason == "AlreadyExists")
        {
            // Kept as the administrator left it.
        }
    }
}
