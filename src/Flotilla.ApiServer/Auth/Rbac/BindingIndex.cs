using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// ClusterRoleBindings and RoleBindings by subject (<c>User:name</c>, <c>Group:name</c>; a service account is the
/// user <c>system:serviceaccount:ns:name</c>), built at one version of the binding caches.
/// </summary>
public sealed class BindingIndex
{
    private static readonly List<object> None = [];
    private readonly Dictionary<string, List<object>> _bySubject;

    private BindingIndex((long, long) version, Dictionary<string, List<object>> bySubject)
    {
        Version = version;
        _bySubject = bySubject;
    }

    public (long ClusterBindings, long Bindings) Version { get; }

    public static BindingIndex Build((long, long) version, IEnumerable<object> clusterBindings, IEnumerable<object> bindings)
    {
        ArgumentNullException.ThrowIfNull(clusterBindings);
        ArgumentNullException.ThrowIfNull(bindings);
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
                // As upstream's appliesTo: a service account without a namespace is in the binding's namespace.
                var saNamespace = string.IsNullOrEmpty(s.NamespaceProperty) ? ns : s.NamespaceProperty;
                var key = s.Kind switch
                {
                    "User" => $"User:{s.Name}",
                    "Group" => $"Group:{s.Name}",
                    "ServiceAccount" when !string.IsNullOrEmpty(saNamespace) => $"User:system:serviceaccount:{saNamespace}:{s.Name}",
                    _ => null,
                };
                if (key is not null)
                {
                    var list = index.TryGetValue(key, out var existing) ? existing : index[key] = [];
                    if (!list.Contains(binding))
                    {
                        list.Add(binding);
                    }
                }
            }
        }

        return new BindingIndex(version, index);
    }

    /// <summary>Every ClusterRoleBinding naming the user or one of its groups, each once.</summary>
    public IEnumerable<V1ClusterRoleBinding> ClusterBindingsFor(UserInfo user) => For(user).OfType<V1ClusterRoleBinding>();

    /// <summary>Every RoleBinding in <paramref name="ns"/> naming the user or one of its groups, each once.</summary>
    public IEnumerable<V1RoleBinding> BindingsFor(UserInfo user, string ns) =>
        For(user).OfType<V1RoleBinding>().Where(b => b.Metadata.NamespaceProperty == ns);

    private IEnumerable<object> For(UserInfo user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var own = _bySubject.GetValueOrDefault($"User:{user.Name}", None);
        if (user.Groups.Count == 0)
        {
            return own;
        }

        return user.Groups.Select(g => _bySubject.GetValueOrDefault($"Group:{g}", None)).Prepend(own).SelectMany(l => l).Distinct(ReferenceEqualityComparer.Instance);
    }
}
