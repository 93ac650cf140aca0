using System.Security.Cryptography;
using System.Text;
using Flotilla.Api.Bootstrap;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Tokens;

/// <summary>
/// Bootstrap tokens (upstream's plugin/pkg/auth/authenticator/token/bootstrap): a token of the form
/// <c>&lt;id&gt;.&lt;secret&gt;</c> whose Secret <c>kube-system/bootstrap-token-&lt;id&gt;</c> is of the bootstrap type,
/// holds the same ID and secret (compared in constant time), has not expired and allows authentication. The user is
/// <c>system:bootstrap:&lt;id&gt;</c> in <c>system:bootstrappers</c> and the Secret's extra groups. Like upstream, a
/// refused token is not an error here, only not this authenticator's.
/// </summary>
public sealed class BootstrapTokenAuthenticator(IObjectReader objects, TimeProvider time) : ITokenAuthenticator
{
    public async ValueTask<AuthenticationResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (!BootstrapToken.TryParse(token, out var id, out var tokenSecret))
        {
            return AuthenticationResult.NotMine;
        }

        var secret = await objects.GetAsync<V1Secret>(BootstrapToken.Namespace, BootstrapToken.SecretPrefix + id, cancellationToken);
        if (secret is null || secret.Metadata.DeletionTimestamp is not null || secret.Type != BootstrapToken.SecretType || secret.Data is null)
        {
            return AuthenticationResult.NotMine;
        }

        if (!CryptographicOperations.FixedTimeEquals(Data(secret, BootstrapToken.SecretKey), Encoding.UTF8.GetBytes(tokenSecret)) ||
            Encoding.UTF8.GetString(Data(secret, BootstrapToken.IdKey)) != id ||
            BootstrapToken.HasExpired(Encoding.UTF8.GetString(Data(secret, BootstrapToken.ExpirationKey)), time.GetUtcNow()) ||
            Encoding.UTF8.GetString(Data(secret, BootstrapToken.UsageAuthenticationKey)) != "true")
        {
            return AuthenticationResult.NotMine;
        }

        var extra = Encoding.UTF8.GetString(Data(secret, BootstrapToken.ExtraGroupsKey));
        var groups = new SortedSet<string>(StringComparer.Ordinal) { BootstrapToken.DefaultGroup };
        foreach (var group in extra.Length == 0 ? [] : extra.Split(','))
        {
            if (!BootstrapToken.IsValidGroup(group))
            {
                return AuthenticationResult.NotMine;
            }

            groups.Add(group);
        }

        return AuthenticationResult.Success(new UserInfo(BootstrapToken.UserPrefix + id, [.. groups]));
    }

    private static byte[] Data(V1Secret secret, string key) => secret.Data.TryGetValue(key, out var value) ? value : [];
}
