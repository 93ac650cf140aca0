using Flotilla.ApiServer.Auth.Rbac;

namespace Flotilla.ApiServer.Auth;

/// <summary>The authorizer chain: <c>system:masters</c> (upstream's privileged group) may do anything, then RBAC.</summary>
public sealed class Authorizer(RbacAuthorizer rbac)
{
    public const string MastersGroup = "system:masters";

    public bool Allows(Attributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.User.Groups.Contains(MastersGroup) || rbac.Allows(attributes);
    }
}
