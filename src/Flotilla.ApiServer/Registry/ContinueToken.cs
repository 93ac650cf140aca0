using System.Buffers.Text;
using System.Text.Json;
using Flotilla.Api.Errors;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// The list continue token, shaped as upstream's: base64 of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key"}</c> where
/// start is the next key relative to the list's prefix; every page is read at revision rv.
/// </summary>
public static class ContinueToken
{
    public static string Encode(long revision, string startRelative)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["v"] = "meta.k8s.io/v1", ["rv"] = revision, ["start"] = startRelative });
        return Base64Url.EncodeToString(json);
    }

    public static (long Revision, string StartRelative) Decode(string token)
    {
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(token));
            var root = doc.RootElement;
            if (root.GetProperty("v").GetString() != "meta.k8s.io/v1")
            {
                throw Invalid();
            }

            var start = root.GetProperty("start").GetString() ?? string.Empty;
            if (start.Contains("..", StringComparison.Ordinal) || start.StartsWith('/'))
            {
                throw Invalid();
            }

            return (root.GetProperty("rv").GetInt64(), start);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw Invalid();
        }
    }

    private static StatusException Invalid() => StatusException.BadRequest("continue key is not valid: the continue token is malformed");
}
