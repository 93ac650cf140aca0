using System.Text.Json;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>One field of a message: its upstream number, its JSON name, what it holds and how JSON shows it.</summary>
internal sealed class FieldSchema
{
    public FieldSchema(int number, string? jsonName, FieldCardinality cardinality, ValueKind kind, string? messageName, FieldPresence presence)
    {
        Number = number;
        JsonName = jsonName;
        EncodedName = jsonName is null ? default : JsonEncodedText.Encode(jsonName);
        Cardinality = cardinality;
        Kind = kind;
        MessageName = messageName;
        Presence = presence;
    }

    public int Number { get; }

    /// <summary>The JSON name, or null for a Go struct embedded with <c>json:",inline"</c> (Volume's VolumeSource).</summary>
    public string? JsonName { get; }

    public JsonEncodedText EncodedName { get; }

    public bool IsInline => JsonName is null;

    public FieldCardinality Cardinality { get; }

    /// <summary>The kind of the field, of each element of a repeated field, or of each value of a map.</summary>
    public ValueKind Kind { get; }

    /// <summary>The qualified message name when <see cref="Kind"/> is <see cref="ValueKind.Message"/>.</summary>
    public string? MessageName { get; }

    /// <summary>The message schema, once the schema set is resolved.</summary>
    public MessageSchema? Message { get; internal set; }

    public FieldPresence Presence { get; }

    public bool IsScalar => Kind is ValueKind.Bool or ValueKind.Int32 or ValueKind.Int64 or ValueKind.String or ValueKind.Bytes;

    /// <summary>Varint scalars may also arrive packed (one length-delimited run) in a repeated field.</summary>
    public bool IsVarint => Kind is ValueKind.Bool or ValueKind.Int32 or ValueKind.Int64;
}
