using System.Text.Json;
using Flotilla.Api.Serialization;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// Writes apimachinery's messages whose JSON form is not an object, from all encodings of one field value
/// (none: the Go zero value of the type).
/// </summary>
internal static class SpecialValueWriter
{
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> data, ValueKind kind, ReadOnlySpan<Occurrence> sources)
    {
        switch (kind)
        {
            case ValueKind.Time or ValueKind.MicroTime:
                var timestamp = new SpecialMessage(data, sources, "Timestamp", 2);
                writer.WriteNullableString(timestamp.IsEmpty
                    ? null // Go's metav1.Time decodes a message without bytes as the zero time.
                    : KubernetesTime.Format(timestamp.Int64(1), (int)timestamp.Int64(2), kind == ValueKind.MicroTime));
                break;
            case ValueKind.Duration:
                writer.WriteStringValue(GoDuration.Format(new SpecialMessage(data, sources, "Duration", 1).Int64(1)));
                break;
            case ValueKind.Quantity:
                WriteQuantity(writer, new SpecialMessage(data, sources, "Quantity", 1));
                break;
            case ValueKind.IntOrString:
                WriteIntOrString(writer, new SpecialMessage(data, sources, "IntOrString", 3));
                break;
            case ValueKind.RawJson:
                WriteRawJson(writer, new SpecialMessage(data, sources, "RawExtension", 1));
                break;
            case ValueKind.StringList:
                WriteStringList(writer, data, sources);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a special kind");
        }
    }

    // The zero Quantity's JSON is "0"; a present string is already canonical (Quantity marshals its String()).
    private static void WriteQuantity(Utf8JsonWriter writer, SpecialMessage quantity)
    {
        if (quantity.Has(1))
        {
            writer.WriteGoString(quantity.Bytes(1));
        }
        else
        {
            writer.WriteStringValue("0"u8);
        }
    }

    private static void WriteIntOrString(Utf8JsonWriter writer, SpecialMessage value)
    {
        switch (value.Int64(1))
        {
            case 0:
                writer.WriteNumberValue((int)value.Int64(2));
                break;
            case 1:
                writer.WriteGoString(value.Bytes(3));
                break;
            case var type:
                throw new ProtobufDecodeException($"IntOrString with type {type} (0 is an int, 1 a string)");
        }
    }

    // Go writes a nil RawExtension/FieldsV1 as null and otherwise its bytes, which must be JSON.
    private static void WriteRawJson(Utf8JsonWriter writer, SpecialMessage value)
    {
        var raw = value.Bytes(1);
        if (raw.IsEmpty)
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            writer.WriteRawValue(raw, skipInputValidation: false);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new ProtobufDecodeException($"an embedded raw object is not JSON: {e.Message}", e);
        }
    }

    // A named []string sent as {repeated string items = 1}; nil (no items) is JSON null, as Go writes it.
    private static void WriteStringList(Utf8JsonWriter writer, ReadOnlySpan<byte> data, ReadOnlySpan<Occurrence> sources)
    {
        var started = false;
        foreach (var source in sources)
        {
            var reader = new WireReader(data, source.Start, source.Start + source.Length);
            while (reader.TryReadTag(out var number, out var wireType))
            {
                var item = reader.ReadValue(number, 0, number, wireType);
                if (number != 1)
                {
                    continue;
                }

                if (wireType != WireType.LengthDelimited)
                {
                    throw new ProtobufDecodeException($"string list item with wire type {wireType}");
                }

                if (!started)
                {
                    writer.WriteStartArray();
                    started = true;
                }

                writer.WriteGoString(data.Slice(item.Start, item.Length));
            }
        }

        if (started)
        {
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
