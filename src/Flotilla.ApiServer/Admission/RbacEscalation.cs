using Flotilla.Api.Serialization;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Watch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Admission;

/// <summary>
/// RBAC escalation prevention (upstream's policybased storage of roles, clusterroles and their bindings): writing a
/// Role or ClusterRole needs every permission it grants, held in its namespace (or cluster-wide), or the
/// <c>escalate</c> verb on it; writing a binding needs every permission of the role it references, or the
/// <c>bind</c> verb on that role. <c>system:masters</c> passes; an aggregationRule needs full authority.
/// </summary>
public sealed class RbacEscalation(RuleResolver rules, Authorizer authorizer, CacheSet caches) : IValidatingAdmission
{
    private static readonly V1PolicyRule[] FullAuthority =
    [
        new() { Verbs = ["*"], ApiGroups = ["*"], Resources = ["*"] },
        new() { Verbs = ["*"], NonResourceURLs = ["*"] },
    ];

    public string Name => "RBACEscalation";

    public async ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation is not (AdmissionOperation.Create or AdmissionOperation.Update) || request.Subresource.Length > 0
            || request.Resource.Group != RuleResolver.Group || request.Object is null || request.User.Groups.Contains(Authorizer.MastersGroup))
        {
            return;
        }

        if (request.Operation == AdmissionOperation.Update && IsOnlyMutatingGcFields(request.Object, request.OldObject))
        {
            return;
        }

        // Roles and bindings as stored, not as the cache last saw them (upstream reads them from storage).
        await caches.WaitFreshAsync(cancellationToken);
        switch (request.Object)
        {
            case V1Role role when !EscalationAuthorized(request):
                ConfirmNoEscalation(request, role.Rules ?? []);
                break;
            case V1ClusterRole role when !EscalationAuthorized(request):
                ConfirmNoEscalation(request, role.Rules ?? []);
                if (HasAggregationRule(role) || HasAggregationRule(request.OldObject as V1ClusterRole))
                {
                    // An aggregationRule can gather anything: only full authority may set or change it.
                    if (Missing(request.User, string.Empty, FullAuthority) is not null)
                    {
                        throw request.Forbidden("must have cluster-admin privileges to use the aggregationRule");
                    }
                }

                break;
            case V1RoleBinding binding when !BindingAuthorized(request.User, binding.RoleRef, request.Namespace):
                ConfirmNoEscalation(request, rules.RoleReferenceRules(binding.RoleRef, request.Namespace));
                break;
            case V1ClusterRoleBinding binding when !BindingAuthorized(request.User, binding.RoleRef, string.Empty):
                ConfirmNoEscalation(request, rules.RoleReferenceRules(binding.RoleRef, string.Empty));
                break;
        }
    }

    /// <summary>Upstream's ConfirmNoEscalation: the user's rules in the request's namespace must cover <paramref name="granted"/>.</summary>
    private void ConfirmNoEscalation(AdmissionRequest request, IEnumerable<V1PolicyRule> granted)
    {
        if (Missing(request.User, request.Namespace, granted) is { } reason)
        {
            throw request.Forbidden(reason);
        }
    }

    /// <summary>Null when the user holds every granted permission; otherwise upstream's message listing what is missing.</summary>
    private string? Missing(UserInfo user, string ns, IEnumerable<V1PolicyRule> granted)
    {
        var owned = rules.RulesFor(user, ns);
        var (covered, missing) = PolicyComparator.Covers(owned.Rules, granted);
        if (covered)
        {
            return null;
        }

        var descriptions = RuleCompaction.CompactRules(missing).Select(RuleCompaction.CompactString).Distinct().Order(StringComparer.Ordinal);
        var message = $"user {GoQuote.Quote(user.Name)} (groups={RuleCompaction.GoQuoted(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join('\n', descriptions)}";
        return owned.ErrorText is { } errors ? $"{message}; resolution errors: [{errors}]" : message;
    }

    /// <summary>Upstream's RoleEscalationAuthorized: the <c>escalate</c> verb on the role (its name only on update, as the URL carries it).</summary>
    private bool EscalationAuthorized(AdmissionRequest request) =>
        authorizer.Allows(new Attributes(request.User, "escalate", true, request.Resource.Group, request.Resource.Plural,
            Namespace: request.Namespace, Name: request.Operation == AdmissionOperation.Update ? request.Name : string.Empty));

    /// <summary>Upstream's BindingAuthorized: the <c>bind</c> verb on the referenced role, in the binding's namespace.</summary>
    private bool BindingAuthorized(UserInfo user, V1RoleRef roleRef, string ns) => roleRef.Kind switch
    {
        "ClusterRole" => authorizer.Allows(new Attributes(user, "bind", true, roleRef.ApiGroup ?? string.Empty, "clusterroles", Namespace: ns, Name: roleRef.Name)),
        "Role" => authorizer.Allows(new Attributes(user, "bind", true, roleRef.ApiGroup ?? string.Empty, "roles", Namespace: ns, Name: roleRef.Name)),
        _ => false,
    };

    private static bool HasAggregationRule(V1ClusterRole? role) => role?.AggregationRule?.ClusterRoleSelectors is { Count: > 0 };

    /// <summary>Upstream's IsOnlyMutatingGCFields: an update touching only owner references and finalizers (the garbage collector's) is no grant.</summary>
    private static bool IsOnlyMutatingGcFields(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old)
    {
        if (old is null)
        {
            return false;
        }

        var updated = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        var previous = JsonNode.Parse(KubernetesJson.Serialize(old))!.AsObject();
        var meta = updated["metadata"]?.AsObject();
        var oldMeta = previous["metadata"]?.AsObject();
        if (meta is null || oldMeta is null)
        {
            return false;
        }

        foreach (var field in new[] { "ownerReferences", "finalizers", "selfLink", "managedFields", "resourceVersion" })
        {
            meta.Remove(field);
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
        }

        return JsonNode.DeepEquals(updated, previous);
    }
}
