using Flotilla.ApiServer.Auth;

namespace Flotilla.ApiServer.Admission.Certificates;

/// <summary>
/// Upstream's IsAuthorizedForSignerName: a verb (<c>approve</c>, <c>sign</c>) on the <c>signers</c> resource of
/// certificates.k8s.io, named by the signer or by its domain's wildcard <c>example.com/*</c>.
/// </summary>
internal static class SignerAuthorization
{
    public const string Group = "certificates.k8s.io";

    public static bool Allows(Authorizer authorizer, UserInfo user, string verb, string signerName)
    {
        if (authorizer.Allows(new Attributes(user, verb, true, Group, "signers", Name: signerName)))
        {
            return true;
        }

        var slash = signerName.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && authorizer.Allows(new Attributes(user, verb, true, Group, "signers", Name: signerName[..slash] + "/*"));
    }
}
