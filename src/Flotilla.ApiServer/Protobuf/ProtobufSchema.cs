using System.Diagnostics.CodeAnalysis;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// The messages the decoder knows and the kinds it accepts at the top level. The default set is parsed from the
/// embedded <c>Schemas/*.schema</c> files, which follow upstream's generated.proto of Kubernetes v1.32.
/// </summary>
internal sealed class ProtobufSchema
{
    private const string ResourcePrefix = "Flotilla.ApiServer.Protobuf.Schemas.";

    private static readonly Lazy<ProtobufSchema> DefaultSchema = new(LoadEmbedded);

    private readonly Dictionary<string, MessageSchema> _messages;
    private readonly Dictionary<(string ApiVersion, string Kind), MessageSchema> _kinds;

    private ProtobufSchema(Dictionary<string, MessageSchema> messages, Dictionary<(string ApiVersion, string Kind), MessageSchema> kinds)
    {
        _messages = messages;
        _kinds = kinds;
    }

    public static ProtobufSchema Default => DefaultSchema.Value;

    public IEnumerable<(string ApiVersion, string Kind)> Kinds => _kinds.Keys;

    public IEnumerable<MessageSchema> Messages => _messages.Values;

    /// <summary>Parses and links schema files given as (source name, text); throws on any inconsistency.</summary>
    public static ProtobufSchema Parse(params IEnumerable<(string Source, string Text)> files)
    {
        var messages = new Dictionary<string, MessageSchema>(StringComparer.Ordinal);
        var kinds = new Dictionary<(string ApiVersion, string Kind), MessageSchema>();
        foreach (var (source, text) in files)
        {
            SchemaParser.Parse(source, text, messages, kinds);
        }

        foreach (var message in messages.Values)
        {
            foreach (var field in message.Fields.Where(f => f.Kind == ValueKind.Message))
            {
                field.Message = messages.GetValueOrDefault(field.MessageName!)
                    ?? throw new InvalidOperationException($"{message.Name}.{field.JsonName}: unknown message {field.MessageName}");
            }
        }

        foreach (var message in messages.Values)
        {
            RejectValueCycle(message, []);
        }

        return new ProtobufSchema(messages, kinds);
    }

    public bool TryGetKind(string apiVersion, string kind, [NotNullWhen(true)] out MessageSchema? message) =>
        _kinds.TryGetValue((apiVersion, kind), out message);

    public MessageSchema Message(string name) => _messages[name];

    private static ProtobufSchema LoadEmbedded()
    {
        var assembly = typeof(ProtobufSchema).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (n[ResourcePrefix.Length..], reader.ReadToEnd());
            })
            .ToList();
        return Parse(files);
    }

    // A struct can only hold itself through a pointer (Go rejects value cycles); a value cycle here would make
    // writing the zero value of an absent field recurse without end.
    private static void RejectValueCycle(MessageSchema message, HashSet<string> path)
    {
        if (!path.Add(message.Name))
        {
            throw new InvalidOperationException($"message {message.Name} contains itself through non-pointer fields");
        }

        foreach (var field in message.Fields.Where(f => f is { Kind: ValueKind.Message, Cardinality: FieldCardinality.Single, Presence: FieldPresence.Value }))
        {
            RejectValueCycle(field.Message!, path);
        }

        path.Remove(message.Name);
    }
}
