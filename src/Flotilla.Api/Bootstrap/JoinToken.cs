using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Flotilla.Api.Bootstrap;

/// <summary>
/// What an agent needs to join a cluster, in k3s' secure token form <c>K10&lt;ca-hash&gt;::&lt;id&gt;.&lt;secret&gt;</c>:
/// the hash is the SHA-256 (hex) of the cluster CA certificate file's bytes (<c>&lt;data-dir&gt;/tls/ca.crt</c>), so the
/// agent can trust the server it reaches before it has the CA; the rest is a bootstrap token.
/// </summary>
public static partial class JoinToken
{
    public static string Format(ReadOnlySpan<byte> caCertificateFile, string id, string secret) =>
        $"K10{CaHash(caCertificateFile)}::{id}.{secret}";

    /// <summary>The CA hash as the token carries it: lower-case hex SHA-256 of the file's bytes.</summary>
    public static string CaHash(ReadOnlySpan<byte> caCertificateFile) =>
        Convert.ToHexStringLower(SHA256.HashData(caCertificateFile));

    /// <summary>Splits a join token; false when it is not of the <c>K10&lt;hash&gt;::&lt;id&gt;.&lt;secret&gt;</c> form.</summary>
    public static bool TryParse(string token, out string caHash, out string id, out string secret)
    {
        ArgumentNullException.ThrowIfNull(token);
        var match = Pattern().Match(token);
        caHash = id = secret = string.Empty;
        if (!match.Success || !BootstrapToken.TryParse(match.Groups[2].Value, out id, out secret))
        {
            return false;
        }

        caHash = match.Groups[1].Value;
        return true;
    }

    [GeneratedRegex(@"\AK10([0-9a-f]{64})::(.+)\z")]
    private static partial Regex Pattern();
}
