using Flotilla.ApiServer.Auth.ServiceAccounts;
using Flotilla.ApiServer.Auth.Tokens;

namespace Flotilla.ApiServer.Auth;

/// <summary>The bearer tokens the API server accepts beside client certificates, and how it issues ServiceAccount tokens.</summary>
public sealed record AuthenticationOptions
{
    /// <summary>Signs and verifies ServiceAccount tokens; null makes one in memory at start (in-process tests only).</summary>
    public ServiceAccountKey? ServiceAccountKey { get; init; }

    /// <summary>The <c>iss</c> of ServiceAccount tokens (kube-apiserver's --service-account-issuer).</summary>
    public string ServiceAccountIssuer { get; init; } = ServiceAccountTokenIssuer.DefaultIssuer;

    /// <summary>The audiences the API accepts and tokens default to (--api-audiences); null is the issuer alone, as upstream.</summary>
    public IReadOnlyList<string>? ApiAudiences { get; init; }

    /// <summary>
    /// Whether requests with no credential reach the health and version endpoints (kube-apiserver's
    /// --anonymous-auth); false answers every such request 401.
    /// </summary>
    public bool AnonymousAuth { get; init; } = true;

    /// <summary>Static tokens (--token-auth-file), already read.</summary>
    public TokenFile? TokenFile { get; init; }
}
