namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// RBAC (upstream's RBACAuthorizer): a request is allowed when a rule that applies to its user in its namespace (a
/// ClusterRoleBinding's everywhere, a RoleBinding's in its namespace) matches it. Deny is the default.
/// </summary>
public sealed class RbacAuthorizer(RuleResolver rules)
{
    public RuleResolver Rules => rules;

    public bool Allows(Attributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return rules.Any(request.User, request.Namespace, request, static (rule, r) => RuleMatcher.Allows(rule, r));
    }
}
