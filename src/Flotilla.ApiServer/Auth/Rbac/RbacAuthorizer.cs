using Flotilla.ApiServer.Watch;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// RBAC over the watch cache's Roles, ClusterRoles and bindings: a ClusterRoleBinding grants its ClusterRole's rules
/// everywhere, a RoleBinding grants its Role's (or ClusterRole's) rules in its namespace. Deny is the default.
/// </summary>
public sealed class RbacAuthorizer(Func<string, WatchCache> caches)
{
    public bool Allows(Attributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clusterRoles = caches("clusterroles");
        foreach (var binding in Objects<V1ClusterRoleBinding>(caches("clusterrolebindings"), null))
        {
            if (Binds(binding.Subjects, request.User, null) && RulesOf(clusterRoles, null, binding.RoleRef).Any(r => RuleMatcher.Allows(r, request)))
            {
                return true;
            }
        }

        if (request.Namespace.Length == 0)
        {
            return false;
        }

        var roles = caches("roles");
        foreach (var binding in Objects<V1RoleBinding>(caches("rolebindings"), request.Namespace))
        {
            if (Binds(binding.Subjects, request.User, request.Namespace) &&
                RulesOf(binding.RoleRef.Kind == "ClusterRole" ? clusterRoles : roles, binding.RoleRef.Kind == "ClusterRole" ? null : request.Namespace, binding.RoleRef)
                    .Any(r => RuleMatcher.Allows(r, request)))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<T> Objects<T>(WatchCache cache, string? ns) =>
        cache.List(ns).Objects.Select(o => o.Object).OfType<T>();

    private static IEnumerable<V1PolicyRule> RulesOf(WatchCache cache, string? ns, V1RoleRef roleRef)
    {
        var key = cache.Resource.StorageKey(ns, roleRef.Name);
        return cache.Get(key)?.Object switch
        {
            V1ClusterRole role => role.Rules ?? [],
            V1Role role => role.Rules ?? [],
            _ => [],
        };
    }

    private static bool Binds(IList<Rbacv1Subject>? subjects, UserInfo user, string? bindingNamespace) =>
        subjects?.Any(s => s.Kind switch
        {
            "User" => s.Name == user.Name,
            "Group" => user.Groups.Contains(s.Name),
            "ServiceAccount" => user.Name == $"system:serviceaccount:{(string.IsNullOrEmpty(s.NamespaceProperty) ? bindingNamespace : s.NamespaceProperty)}:{s.Name}",
            _ => false,
        }) == true;
}
