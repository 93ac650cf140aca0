using System.Globalization;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// The object or array a JSON Pointer's last token lives in, with the token, and evanphx/json-patch's (v4) rules for
/// reading, adding, setting and removing there: <c>-</c> appends, negative array indices count from the end, and
/// errors read as upstream's.
/// </summary>
internal readonly record struct JsonPointerContainer(JsonNode Node, string Key)
{
    /// <summary>Walks all but the last token of <paramref name="path"/>; null when a step is missing or not a container.</summary>
    public static JsonPointerContainer? Find(JsonNode root, string path)
    {
        var tokens = path.Split('/');
        if (tokens.Length < 2)
        {
            return null;
        }

        var current = root;
        foreach (var token in tokens[1..^1])
        {
            var next = current switch
            {
                JsonObject o => o.TryGetPropertyValue(Decode(token), out var child) ? child : null,
                JsonArray a => TryIndex(Decode(token), a.Count, out var index) is null ? a[index] : null,
                _ => null,
            };
            if (next is not (JsonObject or JsonArray))
            {
                return null;
            }

            current = next;
        }

        return new JsonPointerContainer(current, Decode(tokens[^1]));
    }

    /// <summary>The value at the key: for an object a missing key reads as null (v4 does not fail there).</summary>
    public JsonNode? Get()
    {
        if (Node is JsonObject o)
        {
            return o.TryGetPropertyValue(Key, out var value) ? value : null;
        }

        var array = (JsonArray)Node;
        var error = TryIndex(Key, array.Count, out var index);
        return error is null ? array[index] : throw new PatchException(error);
    }

    public bool Has => Node is JsonObject o ? o.ContainsKey(Key) : TryIndex(Key, ((JsonArray)Node).Count, out _) is null;

    public void Add(JsonNode? value)
    {
        if (Node is JsonObject o)
        {
            o[Key] = value;
            return;
        }

        var array = (JsonArray)Node;
        if (Key == "-")
        {
            array.Add(value);
            return;
        }

        if (!int.TryParse(Key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            throw new PatchException($"value was not a proper array index: '{Key}': {AtoiError(Key)}");
        }

        var size = array.Count + 1;
        if (index >= size || index < -size)
        {
            throw new PatchException($"Unable to access invalid index: {index}: invalid index referenced");
        }

        array.Insert(index < 0 ? index + size : index, value);
    }

    /// <summary>Replace's write: the key is known to exist for arrays; for objects v4 also writes a missing key.</summary>
    public void Set(JsonNode? value)
    {
        if (Node is JsonObject o)
        {
            o[Key] = value;
            return;
        }

        var array = (JsonArray)Node;
        var error = TryIndex(Key, array.Count, out var index);
        if (error is not null)
        {
            throw new PatchException(error);
        }

        array[index] = value;
    }

    public void Remove()
    {
        if (Node is JsonObject o)
        {
            if (!o.Remove(Key))
            {
                throw new PatchException($"Unable to remove nonexistent key: {Key}: missing value");
            }

            return;
        }

        var array = (JsonArray)Node;
        var error = TryIndex(Key, array.Count, out var index);
        if (error is not null)
        {
            throw new PatchException(error);
        }

        array.RemoveAt(index);
    }

    // RFC 6901: ~1 is '/', ~0 is '~', decoded in that order so "~01" is "~1".
    private static string Decode(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    // An index into an existing element: null when valid, else upstream's message.
    private static string? TryIndex(string token, int count, out int index)
    {
        if (!int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out index))
        {
            return AtoiError(token);
        }

        if (index < -count || index >= count)
        {
            return $"Unable to access invalid index: {index}: invalid index referenced";
        }

        if (index < 0)
        {
            index += count;
        }

        return null;
    }

    private static string AtoiError(string token) => $"strconv.Atoi: parsing \"{token}\": invalid syntax";
}
