using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Flotilla.Api.Bootstrap;

/// <summary>
/// Bootstrap tokens as upstream defines them (k8s.io/cluster-bootstrap): a token <c>[a-z0-9]{6}.[a-z0-9]{16}</c> is
/// an ID and a secret, kept in the Secret <c>kube-system/bootstrap-token-&lt;id&gt;</c> of type
/// <c>bootstrap.kubernetes.io/token</c>; it authenticates as <c>system:bootstrap:&lt;id&gt;</c>.
/// </summary>
public static partial class BootstrapToken
{
    public const string Namespace = "kube-system";
    public const string SecretPrefix = "bootstrap-token-";
    public const string SecretType = "bootstrap.kubernetes.io/token";
    public const string DescriptionKey = "description";
    public const string IdKey = "token-id";
    public const string SecretKey = "token-secret";
    public const string ExpirationKey = "expiration";
    public const string UsageAuthenticationKey = "usage-bootstrap-authentication";
    public const string UsageSigningKey = "usage-bootstrap-signing";
    public const string ExtraGroupsKey = "auth-extra-groups";
    public const string UserPrefix = "system:bootstrap:";
    public const string DefaultGroup = "system:bootstrappers";

    /// <summary>The group <c>flotilla token create</c> puts its tokens in (kubeadm's and k3s' default-node-token).</summary>
    public const string NodeTokenGroup = "system:bootstrappers:flotilla:default-node-token";

    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>Splits a token into its ID and secret; false when it is not of the bootstrap token form.</summary>
    public static bool TryParse(string token, out string id, out string secret)
    {
        ArgumentNullException.ThrowIfNull(token);
        var match = TokenPattern().Match(token);
        id = match.Success ? match.Groups[1].Value : string.Empty;
        secret = match.Success ? match.Groups[2].Value : string.Empty;
        return match.Success;
    }

    /// <summary>Whether <paramref name="group"/> may be an extra group of a token (upstream's ValidateBootstrapGroupName).</summary>
    public static bool IsValidGroup(string group) => GroupPattern().IsMatch(group);

    /// <summary>A new random ID and secret, as <c>kubeadm token generate</c> makes them.</summary>
    public static (string Id, string Secret) Generate() =>
        (RandomNumberGenerator.GetString(Alphabet, 6), RandomNumberGenerator.GetString(Alphabet, 16));

    /// <summary>The Secret that holds a token: usable for authentication and signing, in <paramref name="groups"/>.</summary>
    public static V1Secret ToSecret(string id, string secret, DateTimeOffset? expires, string description, IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var data = new Dictionary<string, byte[]>
        {
            [IdKey] = Encoding.UTF8.GetBytes(id),
            [SecretKey] = Encoding.UTF8.GetBytes(secret),
            [UsageAuthenticationKey] = "true"u8.ToArray(),
            [UsageSigningKey] = "true"u8.ToArray(),
        };
        if (expires is { } at)
        {
            data[ExpirationKey] = Encoding.UTF8.GetBytes(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }

        if (description.Length > 0)
        {
            data[DescriptionKey] = Encoding.UTF8.GetBytes(description);
        }

        if (groups.Count > 0)
        {
            data[ExtraGroupsKey] = Encoding.UTF8.GetBytes(string.Join(',', groups));
        }

        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = SecretPrefix + id, NamespaceProperty = Namespace },
            Type = SecretType,
            Data = data,
        };
    }

    /// <summary>
    /// Whether the Secret's <c>expiration</c> (RFC 3339) has passed; an unparsable one counts as expired and a missing
    /// one as never (upstream's bootstrapsecretutil.HasExpired).
    /// </summary>
    public static bool HasExpired(string? expiration, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(expiration))
        {
            return false;
        }

        return !TryParseRfc3339(expiration, out var at) || at <= now;
    }

    /// <summary>Go's time.Parse(time.RFC3339, ...): a zone (Z or ±hh:mm) is required, fractional seconds are allowed.</summary>
    public static bool TryParseRfc3339(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out value)
        && (text.EndsWith('Z') || RfcOffset().IsMatch(text));

    [GeneratedRegex(@"\A([a-z0-9]{6})\.([a-z0-9]{16})\z")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"\Asystem:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]\z")]
    private static partial Regex GroupPattern();

    [GeneratedRegex(@"[+-]\d\d:\d\d\z")]
    private static partial Regex RfcOffset();
}
