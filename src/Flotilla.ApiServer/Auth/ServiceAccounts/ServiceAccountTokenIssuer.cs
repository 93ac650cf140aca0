namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>
/// Signs ServiceAccount tokens for the TokenRequest API (upstream's JWTTokenGenerator), with the cluster's issuer
/// (<c>--service-account-issuer</c>) and the API audiences tokens default to (<c>--api-audiences</c>).
/// </summary>
public sealed class ServiceAccountTokenIssuer(ServiceAccountKey key, string issuer, IReadOnlyList<string> apiAudiences)
{
    public const string DefaultIssuer = "https://kubernetes.default.svc.cluster.local";

    public ServiceAccountKey Key => key;

    public string Issuer => issuer;

    public IReadOnlyList<string> ApiAudiences => apiAudiences;

    public string Issue(ServiceAccountClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return CompactJws.Sign(key, (claims with { Issuer = issuer }).ToJson());
    }
}
