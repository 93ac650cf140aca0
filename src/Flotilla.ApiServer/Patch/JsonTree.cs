using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// The plain tree the strategic merge works on, shaped like Go's decoded JSON: maps are
/// <see cref="OrderedDictionary{TKey,TValue}"/>, lists are <see cref="List{T}"/>, scalars are <see cref="JsonElement"/>
/// and JSON null is <c>null</c>. Unlike <see cref="JsonNode"/>s, these values have no parent, so a subtree can move
/// from the patch into the result without cloning.
/// </summary>
internal static class JsonTree
{
    public static object? From(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => FromObject(o),
        JsonArray a => a.Select(From).ToList(),
        _ => node.GetValueKind() == JsonValueKind.Null ? null : ScalarOf(node),
    };

    public static JsonNode? To(object? value) => value switch
    {
        null => null,
        OrderedDictionary<string, object?> map => ToObject(map),
        List<object?> list => new JsonArray(list.Select(To).ToArray()),
        JsonElement e => JsonValue.Create(e),
        _ => throw new InvalidOperationException($"unexpected tree value {value.GetType()}"),
    };

    /// <summary>Whether <paramref name="value"/> is the JSON string <paramref name="text"/> (directive values are compared so).</summary>
    public static bool IsString(object? value, string text) => value is JsonElement { ValueKind: JsonValueKind.String } s && s.ValueEquals(text);

    /// <summary>Go's <c>==</c> on decoded scalars, as upstream compares merge keys and primitive list items.</summary>
    public static bool ScalarEquals(object? left, object? right) => (left, right) switch
    {
        (null, null) => true,
        (JsonElement l, JsonElement r) => l.ValueKind == r.ValueKind && JsonElement.DeepEquals(l, r),
        _ => false,
    };

    /// <summary>
    /// The kind Go's reflect.TypeOf tells apart: upstream refuses to merge lists whose items differ in kind,
    /// and replaces rather than merges a field whose value changes kind.
    /// </summary>
    public static string KindOf(object? value) => value switch
    {
        null => "nil",
        OrderedDictionary<string, object?> => "map",
        List<object?> => "slice",
        JsonElement { ValueKind: JsonValueKind.String } => "string",
        JsonElement { ValueKind: JsonValueKind.Number } => "float64",
        JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } => "bool",
        _ => "invalid",
    };

    /// <summary>Go's <c>%v</c> of a decoded value, for error messages that quote patch content as upstream's do.</summary>
    public static string GoFormat(object? value)
    {
        var text = new StringBuilder();
        Format(value, text);
        return text.ToString();
    }

    private static JsonElement ScalarOf(JsonNode node)
    {
        // Parsed documents hold their scalars as elements already; values built in code are re-read.
        if (node.AsValue().TryGetValue<JsonElement>(out var element))
        {
            return element;
        }

        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static OrderedDictionary<string, object?> FromObject(JsonObject o)
    {
        var map = new OrderedDictionary<string, object?>(o.Count, StringComparer.Ordinal);
        foreach (var (key, child) in o)
        {
            map[key] = From(child);
        }

        return map;
    }

    private static JsonObject ToObject(OrderedDictionary<string, object?> map)
    {
        var o = new JsonObject();
        foreach (var (key, child) in map)
        {
            o[key] = To(child);
        }

        return o;
    }

    private static void Format(object? value, StringBuilder text)
    {
        switch (value)
        {
            case null:
                text.Append("<nil>");
                break;
            case OrderedDictionary<string, object?> map:
                text.Append("map[");
                var first = true;
                foreach (var key in map.Keys.Order(StringComparer.Ordinal))
                {
                    text.Append(first ? string.Empty : " ").Append(key).Append(':');
                    Format(map[key], text);
                    first = false;
                }

                text.Append(']');
                break;
            case List<object?> list:
                text.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    text.Append(i == 0 ? string.Empty : " ");
                    Format(list[i], text);
                }

                text.Append(']');
                break;
            case JsonElement { ValueKind: JsonValueKind.String } s:
                text.Append(s.GetString());
                break;
            case JsonElement { ValueKind: JsonValueKind.Number } n:
                text.Append(n.TryGetInt64(out var l) ? l.ToString(CultureInfo.InvariantCulture) : n.GetDouble().ToString(CultureInfo.InvariantCulture));
                break;
            case JsonElement e:
                text.Append(e.GetRawText());
                break;
            default:
                text.Append(value);
                break;
        }
    }
}
