namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>
/// How a service account appears as a user (k8s.io/apiserver/pkg/authentication/serviceaccount):
/// <c>system:serviceaccount:&lt;ns&gt;:&lt;name&gt;</c> in <c>system:serviceaccounts</c> and
/// <c>system:serviceaccounts:&lt;ns&gt;</c>, with the bound pod, node and token ID as extra values
/// (<c>system:authenticated</c> is added by the authentication filter, as upstream's group adder).
/// </summary>
public static class ServiceAccountUser
{
    public const string Prefix = "system:serviceaccount:";
    public const string AllGroup = "system:serviceaccounts";
    public const string PodNameKey = "authentication.kubernetes.io/pod-name";
    public const string PodUidKey = "authentication.kubernetes.io/pod-uid";
    public const string NodeNameKey = "authentication.kubernetes.io/node-name";
    public const string NodeUidKey = "authentication.kubernetes.io/node-uid";
    public const string CredentialIdKey = "authentication.kubernetes.io/credential-id";

    public static string Name(string ns, string name) => $"{Prefix}{ns}:{name}";

    /// <summary>The user a validated token stands for.</summary>
    public static UserInfo From(ServiceAccountClaims claims, ObjectRef? pod, ObjectRef? node)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (pod is { Name.Length: > 0, Uid.Length: > 0 } p)
        {
            extra[PodNameKey] = [p.Name];
            extra[PodUidKey] = [p.Uid];
        }

        if (claims.Id.Length > 0)
        {
            extra[CredentialIdKey] = [$"JTI={claims.Id}"];
        }

        if (node is { Name.Length: > 0 } n)
        {
            extra[NodeNameKey] = [n.Name];
            if (n.Uid.Length > 0)
            {
                extra[NodeUidKey] = [n.Uid];
            }
        }

        return new UserInfo(
            Name(claims.Namespace, claims.ServiceAccount.Name),
            [AllGroup, $"{AllGroup}:{claims.Namespace}"],
            claims.ServiceAccount.Uid,
            extra.Count > 0 ? extra : null);
    }
}
