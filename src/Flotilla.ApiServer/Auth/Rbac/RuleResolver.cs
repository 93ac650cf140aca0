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
public sealed class RuleResolver(Func<string, WatchCache> caches)
{
    public const string Group = "rbac.authorization.k8s.io";
    private readonly Lock _gate = new();
    private BindingIndex? _index;

    /// <summary>Whether any rule that applies to <paramref name="user"/> in <paramref name="ns"/> satisfies <paramref name="predicate"/> (the authorizer's path: stops at the first).</summary>
    public bool Any<TState>(UserInfo user, string ns, TState state, Func<V1PolicyRule, TState, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(predicate);
        var index = Index();
        var clusterRoles = caches("clusterroles");
        foreach (var binding in index.ClusterBindingsFor(user))
        {
            foreach (var rule in RulesOf(clusterRoles, null, binding.RoleRef.Name) ?? [])
            {
                if (predicate(rule, state))
                {
                    return true;
                }
            }
        }

        if (ns.Length == 0)
        {
            return false;
        }

        var roles = caches("roles");
        foreach (var binding in index.BindingsFor(user, ns))
        {
            var cluster = binding.RoleRef.Kind == "ClusterRole";
            foreach (var rule in RulesOf(cluster ? clusterRoles : roles, cluster ? null : ns, binding.RoleRef.Name) ?? [])
            {
                if (predicate(rule, state))
                {
                    return true;
                }
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
        var rules = new List<V1PolicyRule>();
        var errors = new List<string>();
        foreach (var binding in index.ClusterBindingsFor(user))
        {
            Collect(binding.RoleRef, string.Empty);
        }

        if (ns.Length > 0)
        {
            foreach (var binding in index.BindingsFor(user, ns))
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
            "ClusterRole" => RulesOf(caches("clusterroles"), null, roleRef.Name) ?? throw StatusException.NotFound(Group, "clusterroles", roleRef.Name),
            "Role" when bindingNamespace.Length > 0 => RulesOf(caches("roles"), bindingNamespace, roleRef.Name) ?? throw StatusException.NotFound(Group, "roles", roleRef.Name),
            "Role" => throw StatusException.NotFound(Group, "roles", roleRef.Name),
            _ => throw StatusException.BadRequest($"unsupported role reference kind: \"{roleRef.Kind}\""),
        };
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

    /// <summary>The role's rules (none when it has none); null when the role does not exist.</summary>
    private static IList<V1PolicyRule>? RulesOf(WatchCache cache, string? ns, string name) =>
        cache.Get(cache.Resource.StorageKey(ns, name))?.Object switch
        {
            V1ClusterRole role => role.Rules ?? [],
            V1Role role => role.Rules ?? [],
            _ => null,
        };
}
