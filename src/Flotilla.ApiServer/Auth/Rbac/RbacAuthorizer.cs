using Flotilla.ApiServer.Watch;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// RBAC over the watch cache's Roles, ClusterRoles and bindings: a ClusterRoleBinding grants its ClusterRole's rules
/// everywhere, a RoleBinding grants its Role's (or ClusterRole's) rules in its namespace. Deny is the default.
/// Bindings are indexed by subject and the index is rebuilt only when a binding changes, so a request looks at the
/// bindings of its own user and groups, not at all of them.
/// </summary>
public sealed class RbacAuthorizer(Func<string, WatchCache> caches)
{
    private readonly Lock _gate = new();
    private BindingIndex? _index;

    public bool Allows(Attributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = Index();
        var clusterRoles = caches("clusterroles");
        foreach (var binding in index.For(request.User).OfType<V1ClusterRoleBinding>())
        {
            if (RulesOf(clusterRoles, null, binding.RoleRef).Any(r => RuleMatcher.Allows(r, request)))
            {
                return true;
            }
        }

        if (request.Namespace.Length == 0)
        {
            return false;
        }

        var roles = caches("roles");
        foreach (var binding in index.For(request.User).OfType<V1RoleBinding>())
        {
            if (binding.Metadata.NamespaceProperty != request.Namespace)
            {
                continue;
            }

            var cluster = binding.RoleRef.Kind == "ClusterRole";
            if (RulesOf(cluster ? clusterRoles : roles, cluster ? null : request.Namespace, binding.RoleRef).Any(r => RuleMatcher.Allows(r, request)))
            {
                return true;
            }
        }

        return false;
    }

    private BindingIndex Index()
    {
        var clusterBindings = caches("clusterrolebindings");
        var bindings = caches("rolebindings");
        var version = (clusterBindings.Revision, bindings.Revision);
        lock (_gate)
        {
            if (_index is null || _index.Version != version)
            {
                _index = BindingIndex.Build(version, clusterBindings.List(null).Objects.Select(o => o.Object), bindings.List(null).Objects.Select(o => o.Object));
            }

            return _index;
        }
    }

    private static IEnumerable<V1PolicyRule> RulesOf(WatchCache cache, string? ns, V1RoleRef roleRef) =>
        cache.Get(cache.Resource.StorageKey(ns, roleRef.Name))?.Object switch
        {
            V1ClusterRole role => role.Rules ?? [],
            V1Role role => role.Rules ?? [],
            _ => [],
        };

    /// <summary>Bindings by subject: <c>User:name</c>, <c>Group:name</c> (a service account is a user).</summary>
    private sealed class BindingIndex((long, long) version, Dictionary<string, List<object>> bySubject)
    {
        public (long, long) Version { get; } = version;

        public static BindingIndex Build((long, long) version, IEnumerable<object> clusterBindings, IEnumerable<object> bindings)
        {
            var index = new Dictionary<string, List<object>>(StringComparer.Ordinal);
            foreach (var binding in clusterBindings.Concat(bindings))
            {
                var (subjects, ns) = binding switch
                {
                    V1ClusterRoleBinding b => (b.Subjects, (string?)null),
                    V1RoleBinding b => (b.Subjects, b.Metadata.NamespaceProperty),
                    _ => (null, null),
                };
                foreach (var s in subjects ?? [])
                {
                    var key = s.Kind switch
                    {
                        "User" => $"User:{s.Name}",
                        "Group" => $"Group:{s.Name}",
                        "ServiceAccount" => $"User:system:serviceaccount:{(string.IsNullOrEmpty(s.NamespaceProperty) ? ns : s.NamespaceProperty)}:{s.Name}",
                        _ => null,
                    };
                    if (key is not null)
                    {
                        (index.TryGetValue(key, out var list) ? list : index[key] = []).Add(binding);
                    }
                }
            }

            return new BindingIndex(version, index);
        }

        public IEnumerable<object> For(UserInfo user) =>
            user.Groups.Select(g => $"Group:{g}").Prepend($"User:{user.Name}")
                .SelectMany(key => bySubject.TryGetValue(key, out var list) ? list : [])
                .Distinct();
    }
}
