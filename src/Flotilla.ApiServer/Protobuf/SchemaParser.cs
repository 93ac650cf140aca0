using System.Globalization;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// Parses the schema text in <c>Schemas/*.schema</c>. Blank lines and lines starting with <c>#</c> are ignored;
/// <code>
/// package core.v1 v1                  alias of the proto package, then the apiVersion its kinds are served under
/// kind Secret                         a message that is also a top-level kind ("message Name" for the others)
///   2 data map&lt;string,bytes&gt;    number, JSON name, type
///   5 immutable bool ?                ? Go pointer: written whenever present
///   1 metadata meta.v1.ObjectMeta !   ! Go value without omitempty, or a struct: always written
///   2 (inline) VolumeSource !         a struct embedded with json:",inline": its fields go into this object
/// </code>
/// A type is a scalar (<c>bool int32 int64 string bytes</c>), an apimachinery special (<c>time microtime duration
/// quantity intorstring rawjson stringlist</c>), a message (<c>Name</c> in this package, <c>alias.Name</c> in another),
/// <c>T*</c> for repeated, or <c>map&lt;string,T&gt;</c>. A scalar without a flag is a Go value with omitempty.
/// </summary>
internal static class SchemaParser
{
    private static readonly Dictionary<string, ValueKind> BuiltIns = new(StringComparer.Ordinal)
    {
        ["bool"] = ValueKind.Bool,
        ["int32"] = ValueKind.Int32,
        ["int64"] = ValueKind.Int64,
        ["string"] = ValueKind.String,
        ["bytes"] = ValueKind.Bytes,
        ["time"] = ValueKind.Time,
        ["microtime"] = ValueKind.MicroTime,
        ["duration"] = ValueKind.Duration,
        ["quantity"] = ValueKind.Quantity,
        ["intorstring"] = ValueKind.IntOrString,
        ["rawjson"] = ValueKind.RawJson,
        ["stringlist"] = ValueKind.StringList,
    };

    /// <summary>Adds the messages of one schema file; kinds are keyed by (apiVersion, kind).</summary>
    public static void Parse(string source, string text, Dictionary<string, MessageSchema> messages, Dictionary<(string ApiVersion, string Kind), MessageSchema> kinds)
    {
        string? package = null;
        string? apiVersion = null;
        var lines = text.Split('\n');
        (string Name, bool IsKind, List<FieldSchema> Fields)? current = null;

        void Complete()
        {
            if (current is not { } message)
            {
                return;
            }

            var schema = new MessageSchema(message.Name, message.Fields);
            if (!messages.TryAdd(message.Name, schema))
            {
                throw new InvalidOperationException($"{source}: message {message.Name} is declared twice");
            }

            if (message.IsKind)
            {
                kinds.Add((apiVersion!, message.Name[(package!.Length + 1)..]), schema);
            }

            current = null;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var where = $"{source}:{i + 1}";
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (tokens[0])
            {
                case "package" when tokens.Length is 2 or 3 && package is null:
                    package = tokens[1];
                    apiVersion = tokens.Length == 3 ? tokens[2] : null;
                    break;
                case "message" or "kind" when tokens.Length == 2 && package is not null && !tokens[1].Contains('.', StringComparison.Ordinal):
                    Complete();
                    if (tokens[0] == "kind" && apiVersion is null)
                    {
                        throw new InvalidOperationException($"{where}: kind {tokens[1]} in a package without an apiVersion");
                    }

                    current = ($"{package}.{tokens[1]}", tokens[0] == "kind", []);
                    break;
                case [>= '1' and <= '9', ..] when current is { } message:
                    var field = ParseField(tokens, package!, where);
                    if (message.Fields.Any(f => f.Number == field.Number || (f.JsonName is not null && f.JsonName == field.JsonName)))
                    {
                        throw new InvalidOperationException($"{where}: field {field.Number} {field.JsonName} repeats a number or a JSON name");
                    }

                    message.Fields.Add(field);
                    break;
                default:
                    throw new InvalidOperationException($"{where}: cannot parse '{line}'");
            }
        }

        Complete();
    }

    private static FieldSchema ParseField(string[] tokens, string package, string where)
    {
        if (tokens.Length is not (3 or 4) || !int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 100_000)
        {
            throw new InvalidOperationException($"{where}: expected 'number name type [?|!]'");
        }

        var name = tokens[1] == "(inline)" ? null : tokens[1];
        if (name is not null && !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new InvalidOperationException($"{where}: invalid JSON name '{name}'");
        }

        var type = tokens[2];
        var cardinality = FieldCardinality.Single;
        if (type.StartsWith("map<string,", StringComparison.Ordinal) && type.EndsWith('>'))
        {
            cardinality = FieldCardinality.Map;
            type = type["map<string,".Length..^1];
        }
        else if (type.EndsWith('*'))
        {
            cardinality = FieldCardinality.Repeated;
            type = type[..^1];
        }

        var (kind, messageName) = BuiltIns.TryGetValue(type, out var builtIn)
            ? (builtIn, (string?)null)
            : (ValueKind.Message, type.Contains('.', StringComparison.Ordinal) ? type : $"{package}.{type}");

        var presence = tokens.Length == 3 ? FieldPresence.OmitEmpty : tokens[3] switch
        {
            "?" => FieldPresence.Pointer,
            "!" => FieldPresence.Value,
            _ => throw new InvalidOperationException($"{where}: unknown flag '{tokens[3]}'"),
        };

        var field = new FieldSchema(number, name, cardinality, kind, messageName, presence);
        var valid = cardinality == FieldCardinality.Single
            ? field.IsScalar || presence != FieldPresence.OmitEmpty
            : tokens.Length == 3;
        if (!valid || (field.IsInline && (kind != ValueKind.Message || cardinality != FieldCardinality.Single || presence != FieldPresence.Value)))
        {
            throw new InvalidOperationException($"{where}: a message or special type needs ? or !, a repeated or map field takes no flag, and (inline) is a singular message with !");
        }

        return field;
    }
}
