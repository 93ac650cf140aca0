using Flotilla.Api.Errors;
using Flotilla.ApiServer.Watch;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// The RBAC rules that apply to a user in a namespace (upstream's DefaultRuleResolver), read from the watch cache:
/// the rules of every ClusterRoleBinding naming the user or its groups, then those of the RoleBindings in the
/// namespace. Shared by the authorizer, escalation prevention and SelfSubjectRulesReview. Bindings are indexed by
/// subject and the index is rebuilt only when a binding changes.
/// </summary>
public sealed class RuleResolver
{
    public const string Group = "rbac.authorization.k8s.io";
    private readonly Lock _gate = new();
    private readonly WatchCache _roles;
    private readonly WatchCache _clusterRoles;
    private readonly WatchCache _bindings;
    private readonly WatchCache _clusterBindings;
    private BindingIndex? _index;

    /// <param name="caches">The watch cache of each RBAC resource by plural.</param>
    public RuleResolver(Func<string, WatchCache> caches)
    {
        ArgumentNullException.ThrowIfNull(caches);
        _roles = caches("roles");
        _clusterRoles = caches("clusterroles");
        _bindings = caches("rolebindings");
        _clusterBindings = caches("clusterrolebindings");
    }

    /// <summary>
    /// Whether any rule that applies to <paramref name="user"/> in <paramref name="ns"/> satisfies
    /// <paramref name="predicate"/>: the authorizer's path, which stops at the first and allocates little.
    /// </summary>
    public bool Any<TState>(UserInfo user, string ns, TState state, Func<V1PolicyRule, TState, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(predicate);
        var index = Index();
        if (Any(index.ForUser(user.Name), ns, state, predicate))
        {
            return true;
        }

        for (var i = 0; i < user.Groups.Count; i++)
        {
            if (Any(index.ForGroup(user.Groups[i]), ns, state, predicate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Every rule that applies to <paramref name="user"/> in <paramref name="ns"/> (cluster-wide only when empty), and
    /// the errors met on the way (a binding to a missing role), as upstream's RulesFor: the rules found still count.
    /// </summary>
    public ResolvedRules RulesFor(UserInfo user, string ns)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(ns);
        var index = Index();
        var entries = user.Groups.Select(index.ForGroup).Prepend(index.ForUser(user.Name)).OfType<BindingIndex.Bindings>().ToList();
        var rules = new List<V1PolicyRule>();
        var errors = new List<string>();
        foreach (var binding in entries.SelectMany(e => e.Cluster).Distinct())
        {
            Collect(binding.RoleRef, string.Empty);
        }

        if (ns.Length > 0)
        {
            foreach (var binding in entries.SelectMany(e => e.Namespaced).Where(b => b.Metadata.NamespaceProperty == ns).Distinct())
            {
                Collect(binding.RoleRef, ns);
            }
        }

        return new ResolvedRules(rules, errors);

        void Collect(V1RoleRef roleRef, string bindingNamespace)
        {
            try
            {
                rules.AddRange(RoleReferenceRules(roleRef, bindingNamespace));
            }
            catch (StatusException e)
            {
                errors.Add(e.Message);
            }
        }
    }

    /// <summary>The rules of the role a binding in <paramref name="bindingNamespace"/> refers to; 404 when it does not exist.</summary>
    public IList<V1PolicyRule> RoleReferenceRules(V1RoleRef roleRef, string bindingNamespace)
    {
        ArgumentNullException.ThrowIfNull(roleRef);
        ArgumentNullException.ThrowIfNull(bindingNamespace);
        return roleRef.Kind switch
        {
            "ClusterRole" => RulesOf(_clusterRoles, null, roleRef.Name) ?? throw StatusException.NotFound(Group, "clusterroles", roleRef.Name),
            "Role" when bindingNamespace.Length > 0 => RulesOf(_roles, bindingNamespace, roleRef.Name) ?? throw StatusException.NotFound(Group, "roles", roleRef.Name),
            "Role" => throw StatusException.NotFound(Group, "roles", roleRef.Name),
            _ => throw StatusException.BadRequest($"unsupported role reference kind: \"{roleRef.Kind}\""),
        };
    }

    private bool Any<TState>(BindingIndex.Bindings? bindings, string ns, TState state, Func<V1PolicyRule, TState, bool> predicate)
    {
        if (bindings is null)
        {
            return false;
        }

        foreach (var binding in bindings.Cluster)
        {
            if (Any(RulesOf(_clusterRoles, null, binding.RoleRef.Name), state, predicate))
            {
                return true;
            }
        }

        if (ns.Length == 0)
        {
            return false;
        }

        foreach (var binding in bindings.Namespaced)
        {
            if (binding.Metadata.NamespaceProperty == ns && Any(binding.RoleRef.Kind == "ClusterRole"
                ? RulesOf(_clusterRoles, null, binding.RoleRef.Name)
                : RulesOf(_roles, ns, binding.RoleRef.Name), state, predicate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Any<TState>(IList<V1PolicyRule>? rules, TState state, Func<V1PolicyRule, TState, bool> predicate)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            if (predicate(rules![i], state))
            {
                return true;
            }
        }

        return false;
    }

    private BindingIndex Index()
    {
        var version = (_clusterBindings.Revision, _bindings.Revision);
        lock (_gate)
        {
            if (_index is null || _index.Version != version)
            {
                _index = BindingIndex.Build(version,
                    _clusterBindings.List(null).Objects.Select(o => o.Object).OfType<V1ClusterRoleBinding>(),
                    _bindings.List(null).Objects.Select(o => o.Object).OfType<V1RoleBinding>());
            }

            return _index;
        }
    }

    /// <summary>The role's rules (none when it has none); null when the role does not exist.</summary>
    private static IList<V1PolicyRule>? RulesOf(WatchCache cache, string? ns, string name) =>
        cache.Get(cache.Resource.StorageKey(ns, name))?.Object switch
        {
            V1ClusterRole role => role.Rules ?? [],
            V1Role role => role.Rules ?? [],
            _ => null,
        };
}
