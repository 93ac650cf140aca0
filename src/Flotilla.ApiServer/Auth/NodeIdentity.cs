using System.Diagnostics.CodeAnalysis;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Which node a user is (upstream's nodeidentifier): a user named <c>system:node:&lt;name&gt;</c> in the
/// <c>system:nodes</c> group, as a kubelet's client certificate says. A node with an empty name is still a node,
/// one the Node authorizer and NodeRestriction refuse.
/// </summary>
public static class NodeIdentity
{
    public const string NodesGroup = "system:nodes";
    public const string UserPrefix = "system:node:";

    public static bool TryGetNodeName(UserInfo user, [NotNullWhen(true)] out string? nodeName)
    {
        ArgumentNullException.ThrowIfNull(user);
        nodeName = null;
        if (!user.Name.StartsWith(UserPrefix, StringComparison.Ordinal) || !user.Groups.Contains(NodesGroup))
        {
            return false;
        }

        nodeName = user.Name[UserPrefix.Length..];
        return true;
    }
}
