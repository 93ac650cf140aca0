using Flotilla.ApiServer.Auth.Node;
using Flotilla.ApiServer.Auth.Rbac;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// The authorizer chain, as kube-apiserver's union: <c>system:masters</c> (upstream's privileged group) may do
/// anything, then the Node authorizer, then RBAC; the first that allows (or denies) decides, and when none does the
/// reasons they gave explain the 403.
/// </summary>
public sealed class Authorizer(RbacAuthorizer rbac, NodeAuthorizer? node = null)
{
    public const string MastersGroup = "system:masters";

    public bool Allows(Attributes attributes) => Authorize(attributes).Decision == AuthorizationDecision.Allow;

    public AuthorizationResult Authorize(Attributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.User.Groups.Contains(MastersGroup))
        {
            return AuthorizationResult.Allowed;
        }

        var reason = string.Empty;
        if (node?.Authorize(attributes) is { } byNode)
        {
            if (byNode.Decision != AuthorizationDecision.NoOpinion)
            {
                return byNode;
            }

            reason = byNode.Reason;
        }

        return rbac.Allows(attributes) ? AuthorizationResult.Allowed : AuthorizationResult.Undecided(reason);
    }
}
