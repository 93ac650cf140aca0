using System.Text;
using System.Text.Json;
using Flotilla.ApiServer.Patch;

namespace Flotilla.ApiServer.Validation;

/// <summary>
/// One pass of <see cref="FieldValidator"/> over a reader: follows the model type down objects, maps and lists, and
/// records findings against the strict field stack (keys joined with dots, list indexes as <c>[i]</c>).
/// </summary>
internal sealed class StrictFieldWalk
{
    private const int MaxErrors = 100;

    private readonly List<(string Text, bool Index)> path = [];
    private readonly HashSet<string> seenMessages = new(StringComparer.Ordinal);

    public List<StrictFieldError> Errors { get; } = [];

    public void Value(ref Utf8JsonReader reader, Type? type, bool untyped)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject when untyped:
                MapObject(ref reader, null, untyped: true);
                break;
            case JsonTokenType.StartArray when untyped:
                Array(ref reader, null, untyped: true);
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray when type is not null:
                var (kind, valueType) = ModelFields.Classify(type);
                switch (kind, reader.TokenType)
                {
                    case (PatchFieldKind.Object, JsonTokenType.StartObject):
                        TypedObject(ref reader, valueType!);
                        break;
                    case (PatchFieldKind.Map, JsonTokenType.StartObject):
                        MapObject(ref reader, valueType, untyped: false);
                        break;
                    case (PatchFieldKind.List, JsonTokenType.StartArray):
                        Array(ref reader, valueType, untyped: false);
                        break;
                    default:
                        // Free-form or a type mismatch (decoding reports the latter): nothing strict to say inside.
                        reader.Skip();
                        break;
                }

                break;
            default:
                reader.Skip();
                break;
        }
    }

    private void TypedObject(ref Utf8JsonReader reader, Type type)
    {
        var fields = ModelFields.Of(type);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (!fields.TryGetValue(key, out var fieldType))
            {
                Add(StrictFieldErrorKind.Unknown, key);
                reader.Skip();
                continue;
            }

            if (!seen.Add(key))
            {
                Add(StrictFieldErrorKind.Duplicate, key);
            }

            path.Add((key, false));
            Value(ref reader, fieldType, untyped: false);
            path.RemoveAt(path.Count - 1);
        }
    }

    private void MapObject(ref Utf8JsonReader reader, Type? valueType, bool untyped)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (!seen.Add(key))
            {
                Add(StrictFieldErrorKind.Duplicate, key);
            }

            path.Add((key, false));
            Value(ref reader, valueType, untyped);
            path.RemoveAt(path.Count - 1);
        }
    }

    private void Array(ref Utf8JsonReader reader, Type? itemType, bool untyped)
    {
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            path.Add(($"[{index}]", true));
            Value(ref reader, itemType, untyped);
            path.RemoveAt(path.Count - 1);
            index++;
        }
    }

    private void Add(StrictFieldErrorKind kind, string key)
    {
        if (Errors.Count >= MaxErrors)
        {
            return;
        }

        var error = new StrictFieldError(kind, PathTo(key));
        if (seenMessages.Add(error.Message))
        {
            Errors.Add(error);
        }
    }

    // Keys join with dots, list indexes attach as [i]: the strict field stack of sigs.k8s.io/json.
    private string PathTo(string key)
    {
        var text = new StringBuilder();
        foreach (var (segment, index) in path)
        {
            if (!index && text.Length > 0)
            {
                text.Append('.');
            }

            text.Append(segment);
        }

        return text.Length == 0 ? key : text.Append('.').Append(key).ToString();
    }
}
