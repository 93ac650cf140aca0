using Flotilla.Api.Resources;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Watch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Auth.Rbac;

/// <summary>Watch caches of the four RBAC resources holding given objects, for a <see cref="RuleResolver"/> without a server.</summary>
internal sealed class RbacCaches
{
    private readonly Dictionary<string, WatchCache> _caches = [];

    public RbacCaches(params IKubernetesObject<V1ObjectMeta>[] objects)
    {
        foreach (var plural in new[] { "roles", "clusterroles", "rolebindings", "clusterrolebindings" })
        {
            var resource = ResourceCatalog.Default.Find(RuleResolver.Group, "v1", plural)!;
            var cache = new WatchCache(resource, 100);
            cache.Reset(objects.Where(o => o.GetType() == resource.ModelType).Select(o => new CachedObject(
                resource.StorageKey(o.Metadata.NamespaceProperty, o.Metadata.Name), [], 1, () => o)), 1);
            _caches[plural] = cache;
        }
    }

    public RuleResolver Resolver() => new(plural => _caches[plural]);

    public static V1ClusterRole ClusterRole(string name, params V1PolicyRule[] rules) => new() { Metadata = new V1ObjectMeta { Name = name }, Rules = rules };

    public static V1Role Role(string ns, string name, params V1PolicyRule[] rules) => new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Rules = rules };

    public static V1ClusterRoleBinding ClusterBinding(string name, string role, params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        RoleRef = new V1RoleRef { ApiGroup = RuleResolver.Group, Kind = "ClusterRole", Name = role },
        Subjects = subjects,
    };

    public static V1RoleBinding Binding(string ns, string name, string kind, string role, params Rbacv1Subject[] subjects) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        RoleRef = new V1RoleRef { ApiGroup = RuleResolver.Group, Kind = kind, Name = role },
        Subjects = subjects,
    };

    public static Rbacv1Subject User(string name) => new() { Kind = "User", ApiGroup = RuleResolver.Group, Name = name };

    public static Rbacv1Subject Group(string name) => new() { Kind = "Group", ApiGroup = RuleResolver.Group, Name = name };

    public static Rbacv1Subject ServiceAccount(string? ns, string name) => new() { Kind = "ServiceAccount", NamespaceProperty = ns, Name = name };

    public static V1PolicyRule Rule(string verb, string resource) => new() { Verbs = [verb], ApiGroups = [""], Resources = [resource] };
}
