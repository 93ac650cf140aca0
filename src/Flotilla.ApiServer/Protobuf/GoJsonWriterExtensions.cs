using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>Scalar values as Go's encoding/json writes them for a decoded Kubernetes object.</summary>
internal static class GoJsonWriterExtensions
{
    /// <summary>A proto string; Go's encoder replaces invalid UTF-8 with U+FFFD, as Encoding.UTF8 does (Utf8JsonWriter would throw).</summary>
    public static void WriteGoString(this Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            writer.WriteStringValue(utf8);
        }
        else
        {
            writer.WriteStringValue(Encoding.UTF8.GetString(utf8));
        }
    }

    /// <summary>A map key, with invalid UTF-8 replaced as in <see cref="WriteGoString"/>.</summary>
    public static void WriteGoPropertyName(this Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            writer.WritePropertyName(utf8);
        }
        else
        {
            writer.WritePropertyName(Encoding.UTF8.GetString(utf8));
        }
    }

    public static void WriteNullableString(this Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    // Truncation to 32 bits matches Go's generated unmarshalers, which shift varint bytes into an int32.
    public static void WriteVarint(this Utf8JsonWriter writer, ValueKind kind, ulong value)
    {
        switch (kind)
        {
            case ValueKind.Bool:
                writer.WriteBooleanValue(value != 0);
                break;
            case ValueKind.Int32:
                writer.WriteNumberValue((int)value);
                break;
            default:
                writer.WriteNumberValue((long)value);
                break;
        }
    }

    /// <summary>The zero value of a scalar kind: false, 0, "", or for bytes null (a nil []byte).</summary>
    public static void WriteZeroScalar(this Utf8JsonWriter writer, ValueKind kind, bool mapValue)
    {
        switch (kind)
        {
            case ValueKind.Bool:
                writer.WriteBooleanValue(false);
                break;
            case ValueKind.Int32 or ValueKind.Int64:
                writer.WriteNumberValue(0);
                break;
            case ValueKind.Bytes when !mapValue:
                writer.WriteNullValue();
                break;
            default:
                // Go's map decoding makes an absent bytes value an empty slice, which is "".
                writer.WriteStringValue(string.Empty);
                break;
        }
    }
}
