using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// ClusterRoleBindings and RoleBindings by the users and groups they name (a service account is the user
/// <c>system:serviceaccount:ns:name</c>), built at one version of the binding caches.
/// </summary>
public sealed class BindingIndex
{
    private readonly Dictionary<string, Bindings> _users;
    private readonly Dictionary<string, Bindings> _groups;

    private BindingIndex((long, long) version, Dictionary<string, Bindings> users, Dictionary<string, Bindings> groups)
    {
        Version = version;
        _users = users;
        _groups = groups;
    }

    public (long ClusterBindings, long Bindings) Version { get; }

    public static BindingIndex Build((long, long) version, IEnumerable<V1ClusterRoleBinding> clusterBindings, IEnumerable<V1RoleBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(clusterBindings);
        ArgumentNullException.ThrowIfNull(bindings);
        var users = new Dictionary<string, Bindings>(StringComparer.Ordinal);
        var groups = new Dictionary<string, Bindings>(StringComparer.Ordinal);
        foreach (var binding in clusterBindings)
        {
            foreach (var entry in EntriesFor(binding.Subjects, null, users, groups))
            {
                entry.AddCluster(binding);
            }
        }

        foreach (var binding in bindings)
        {
            foreach (var entry in EntriesFor(binding.Subjects, binding.Metadata.NamespaceProperty, users, groups))
            {
                entry.AddNamespaced(binding);
            }
        }

        return new BindingIndex(version, users, groups);
    }

    /// <summary>The bindings naming the user itself; null when none do.</summary>
    public Bindings? ForUser(string name) => _users.GetValueOrDefault(name);

    /// <summary>The bindings naming the group; null when none do.</summary>
    public Bindings? ForGroup(string name) => _groups.GetValueOrDefault(name);

    private static IEnumerable<Bindings> EntriesFor(IList<Rbacv1Subject>? subjects, string? bindingNamespace, Dictionary<string, Bindings> users, Dictionary<string, Bindings> groups)
    {
        foreach (var s in subjects ?? [])
        {
            // As upstream's appliesTo: a service account without a namespace is in the binding's namespace.
            var saNamespace = string.IsNullOrEmpty(s.NamespaceProperty) ? bindingNamespace : s.NamespaceProperty;
            var (map, key) = s.Kind switch
            {
                "User" => (users, s.Name),
                "Group" => (groups, s.Name),
                "ServiceAccount" when !string.IsNullOrEmpty(saNamespace) => (users, $"system:serviceaccount:{saNamespace}:{s.Name}"),
                _ => (null, null),
            };
            if (map is not null && key is not null)
            {
                yield return map.TryGetValue(key, out var entry) ? entry : map[key] = new Bindings();
            }
        }
    }

    /// <summary>The bindings naming one user or group, each once.</summary>
    public sealed class Bindings
    {
        private readonly List<V1ClusterRoleBinding> _cluster = [];
        private readonly List<V1RoleBinding> _namespaced = [];

        public IReadOnlyList<V1ClusterRoleBinding> Cluster => _cluster;

        public IReadOnlyList<V1RoleBinding> Namespaced => _namespaced;

        internal void AddCluster(V1ClusterRoleBinding binding)
        {
            if (!_cluster.Contains(binding))
            {
                _cluster.Add(binding);
            }
        }

        internal void AddNamespaced(V1RoleBinding binding)
        {
            if (!_namespaced.Contains(binding))
            {
                _namespaced.Add(binding);
            }
        }
    }
}
