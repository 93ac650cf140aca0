using System.Buffers.Text;
using System.Text;

namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>
/// A JSON Web Signature in compact form, <c>base64url(header).base64url(payload).base64url(signature)</c>, as the
/// JWTs ServiceAccount tokens are. Strict: three unpadded base64url segments, a header that is a JSON object naming
/// the key's algorithm exactly (never <c>none</c>), no <c>crit</c> extensions, and a signature that verifies.
/// </summary>
internal static class CompactJws
{
    public static string Sign(ServiceAccountKey key, ReadOnlySpan<byte> payload)
    {
        var header = Encoding.UTF8.GetBytes($$"""{"alg":"{{key.Algorithm}}","kid":"{{key.KeyId}}"}""");
        return Sign(key, header, payload);
    }

    /// <summary>Signs any header and payload (tests forge tokens with it).</summary>
    public static string Sign(ServiceAccountKey key, ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        var input = $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}";
        return $"{input}.{Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(input)))}";
    }

    /// <summary>The payload of a well-formed token, before any check of its signature (to read its issuer); null otherwise.</summary>
    public static byte[]? UnverifiedPayload(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 3 ? Decode(parts[1]) : null;
    }

    /// <summary>The payload when the token is well formed, signed with <paramref name="key"/>'s algorithm, and verifies.</summary>
    public static byte[] Verify(ServiceAccountKey key, string token)
    {
        var parts = token.Split('.');
        var (header, payload, signature) = parts.Length == 3
            ? (Decode(parts[0]), Decode(parts[1]), Decode(parts[2]))
            : throw new JwsException("a compact JWS has three parts");
        if (header is null || payload is null || signature is null)
        {
            throw new JwsException("a part is not unpadded base64url");
        }

        CheckHeader(key, header);
        var input = Encoding.ASCII.GetBytes(token, 0, parts[0].Length + 1 + parts[1].Length);
        return key.Verify(input, signature) ? payload : throw new JwsException("invalid signature");
    }

    private static void CheckHeader(ServiceAccountKey key, byte[] header)
    {
        System.Text.Json.JsonDocument document;
        try
        {
            document = System.Text.Json.JsonDocument.Parse(header);
        }
        catch (System.Text.Json.JsonException)
        {
            throw new JwsException("the header is not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new JwsException("the header is not a JSON object");
            }

            var alg = root.TryGetProperty("alg", out var a) && a.ValueKind == System.Text.Json.JsonValueKind.String ? a.GetString() : null;
            if (alg != key.Algorithm)
            {
                throw new JwsException($"unexpected signature algorithm \"{alg}\"; expected \"{key.Algorithm}\"");
            }

            if (root.TryGetProperty("crit", out _))
            {
                throw new JwsException("unsupported crit header");
            }

            // As upstream's static key getter: a key ID names the key, and no key has another one.
            if (root.TryGetProperty("kid", out var kid) && (kid.ValueKind != System.Text.Json.JsonValueKind.String || (kid.GetString() is { Length: > 0 } id && id != key.KeyId)))
            {
                throw new JwsException("invalid signature, no keys found");
            }
        }
    }

    private static byte[]? Decode(string segment)
    {
        foreach (var c in segment)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }
        }

        return segment.Length % 4 == 1 ? null : Base64Url.DecodeFromChars(segment);
    }
}
