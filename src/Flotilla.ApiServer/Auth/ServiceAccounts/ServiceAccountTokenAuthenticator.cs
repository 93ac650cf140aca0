using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Auth.Tokens;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>
/// Authenticates ServiceAccount tokens as kube-apiserver does (pkg/serviceaccount/jwt.go and claims.go): a token
/// whose issuer is not this cluster's is someone else's; otherwise its signature, audience (one of the API
/// audiences), validity window (with go-jose's one-minute leeway) and the objects it names must all hold: the
/// service account and the pod, secret or node it is bound to still exist with the UIDs in the token.
/// </summary>
public sealed class ServiceAccountTokenAuthenticator(ServiceAccountTokenIssuer tokens, IObjectReader objects, TimeProvider time) : ITokenAuthenticator
{
    private const string Invalidated = "service account token has been invalidated";
    private static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);

    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.TrimStart().StartsWith('{') || CompactJws.UnverifiedPayload(token) is not { } unverified ||
            ServiceAccountClaims.UnverifiedIssuer(unverified) != tokens.Issuer)
        {
            return AuthenticationResult.NotMine;
        }

        ServiceAccountClaims claims;
        try
        {
            claims = ServiceAccountClaims.Parse(CompactJws.Verify(tokens.Key, token));
        }
        catch (JwsException e)
        {
            return AuthenticationResult.Failure(e.Message);
        }

        var audiences = claims.Audiences.Count == 0 ? tokens.ApiAudiences : claims.Audiences;
        if (tokens.ApiAudiences.Count > 0 && !audiences.Intersect(tokens.ApiAudiences, StringComparer.Ordinal).Any())
        {
            return AuthenticationResult.Failure($"token audiences {GoList(audiences)} is invalid for the target audiences {GoList(tokens.ApiAudiences)}");
        }

        var now = time.GetUtcNow();
        return TimeError(claims, now) is { } timeError
            ? AuthenticationResult.Failure(timeError)
            : await ValidateObjectsAsync(claims, now, cancellationToken);
    }

    // go-jose's Claims.ValidateWithLeeway, in its order. Every token this cluster issues has an expiry, so one
    // without is refused rather than taken as eternal.
    private static string? TimeError(ServiceAccountClaims claims, DateTimeOffset now)
    {
        if (claims.NotBefore is { } nbf && now + Leeway < DateTimeOffset.FromUnixTimeSeconds(nbf))
        {
            return "service account token is not valid yet";
        }

        if (claims.Expiry is not { } exp || now - Leeway > DateTimeOffset.FromUnixTimeSeconds(exp))
        {
            return "service account token has expired";
        }

        return claims.IssuedAt is { } iat && now + Leeway < DateTimeOffset.FromUnixTimeSeconds(iat)
            ? "service account token is issued in the future"
            : null;
    }

    private async ValueTask<AuthenticationResult> ValidateObjectsAsync(ServiceAccountClaims claims, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Objects deleted before now minus the leeway no longer vouch for the token.
        var deletedBefore = now - Leeway;
        var (ns, sa) = (claims.Namespace, claims.ServiceAccount);
        if (ns.Length == 0 || sa.Name.Length == 0)
        {
            return AuthenticationResult.Failure("the token names no service account");
        }

        var account = await objects.GetAsync<V1ServiceAccount>(ns, sa.Name, cancellationToken);
        if (account is null)
        {
            return AuthenticationResult.Failure($"serviceaccounts \"{sa.Name}\" not found");
        }

        if (account.Metadata.Uid != sa.Uid)
        {
            return AuthenticationResult.Failure($"service account UID ({account.Metadata.Uid}) does not match claim ({sa.Uid})");
        }

        if (Deleted(account, deletedBefore))
        {
            return AuthenticationResult.Failure($"service account {ns}/{sa.Name} has been deleted");
        }

        if (claims.Secret is { } secretRef && await CheckBoundAsync<V1Secret>(ns, secretRef, "secret UID ({0}) does not match service account secret ref claim ({1})", deletedBefore, cancellationToken) is { } secretError)
        {
            return AuthenticationResult.Failure(secretError);
        }

        if (claims.Pod is { } podRef && await CheckBoundAsync<V1Pod>(ns, podRef, "pod UID ({0}) does not match service account pod ref claim ({1})", deletedBefore, cancellationToken) is { } podError)
        {
            return AuthenticationResult.Failure(podError);
        }

        // A pod-bound token only reports its pod's node; a node-bound one needs the node.
        if (claims is { Pod: null, Node: { } nodeRef } && await CheckBoundAsync<V1Node>(null, nodeRef, "node UID ({0}) does not match service account node ref claim ({1})", deletedBefore, cancellationToken) is { } nodeError)
        {
            return AuthenticationResult.Failure(nodeError);
        }

        return AuthenticationResult.Success(ServiceAccountUser.From(claims, claims.Pod, claims.Node));
    }

    private async ValueTask<string?> CheckBoundAsync<T>(string? ns, ObjectRef reference, string uidMismatch, DateTimeOffset deletedBefore, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var bound = await objects.GetAsync<T>(ns, reference.Name, cancellationToken);
        if (bound is null)
        {
            return Invalidated;
        }

        if (bound.Metadata.Uid != reference.Uid)
        {
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, uidMismatch, bound.Metadata.Uid, reference.Uid);
        }

        return Deleted(bound, deletedBefore) ? Invalidated : null;
    }

    private static bool Deleted(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset before) =>
        obj.Metadata.DeletionTimestamp is { } at && new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) < before;

    // Go's %q of a []string: ["a" "b"].
    private static string GoList(IEnumerable<string> values) => $"[{string.Join(' ', values.Select(GoQuote.Quote))}]";
}
