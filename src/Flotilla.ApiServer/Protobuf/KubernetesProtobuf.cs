using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// Turns a Kubernetes protobuf request body into the JSON form of the same object, for the API server's JSON path.
/// The body is the <c>k8s\0</c> magic, then a runtime.Unknown {typeMeta {apiVersion, kind}, raw, contentEncoding,
/// contentType} whose raw bytes are the object's message (what kubectl ≥ 1.32 sends for the kinds it creates through
/// typed clients). The JSON is what Go's encoding/json writes for the decoded object: apiVersion and kind first,
/// omitempty fields left out, zero values of non-omitempty fields written, map keys sorted.
/// </summary>
public static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    /// <summary>The four bytes that start every Kubernetes protobuf body.</summary>
    public static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Decodes a body; throws <see cref="ProtobufDecodeException"/> for anything malformed or unknown.</summary>
    public static (string ApiVersion, string Kind, byte[] Json) ToJson(ReadOnlySpan<byte> body) =>
        ToJson(body, ProtobufSchema.Default);

    internal static (string ApiVersion, string Kind, byte[] Json) ToJson(ReadOnlySpan<byte> body, ProtobufSchema schema)
    {
        if (!body.StartsWith(Magic))
        {
            throw new ProtobufDecodeException("not a Kubernetes protobuf body: it does not start with the \"k8s\\x00\" prefix");
        }

        var (apiVersion, kind, raw) = ReadEnvelope(body);
        if (!schema.TryGetKind(apiVersion, kind, out var message))
        {
            throw new ProtobufDecodeException($"no protobuf schema for kind {kind} in {apiVersion}");
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion"u8, apiVersion);
            writer.WriteString("kind"u8, kind);
            new ProtobufJsonWriter(body, writer).WriteMessage(message, [raw], depth: 1, inline: true);
            writer.WriteEndObject();
        }

        return (apiVersion, kind, buffer.WrittenSpan.ToArray());
    }

    // runtime.Unknown: typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4.
    private static (string ApiVersion, string Kind, Occurrence Raw) ReadEnvelope(ReadOnlySpan<byte> body)
    {
        var typeMeta = default(Occurrence);
        var raw = default(Occurrence);
        var contentEncoding = string.Empty;
        var contentType = string.Empty;
        var reader = new WireReader(body, Magic.Length, body.Length);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            var occurrence = reader.ReadValue(number, 0, number, wireType);
            if (number is >= 1 and <= 4 && wireType != WireType.LengthDelimited)
            {
                throw new ProtobufDecodeException($"runtime.Unknown field {number}: wire type {wireType}, expected LengthDelimited");
            }

            switch (number)
            {
                case 1:
                    typeMeta = occurrence;
                    break;
                case 2:
                    raw = occurrence;
                    break;
                case 3:
                    contentEncoding = EnvelopeString(body, occurrence, "contentEncoding");
                    break;
                case 4:
                    contentType = EnvelopeString(body, occurrence, "contentType");
                    break;
            }
        }

        string apiVersion = string.Empty, kind = string.Empty;
        reader = new WireReader(body, typeMeta.Start, typeMeta.Start + typeMeta.Length);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            var occurrence = reader.ReadValue(number, 0, number, wireType);
            if (number is 1 or 2 && wireType != WireType.LengthDelimited)
            {
                throw new ProtobufDecodeException($"runtime.TypeMeta field {number}: wire type {wireType}, expected LengthDelimited");
            }

            if (number == 1)
            {
                apiVersion = EnvelopeString(body, occurrence, "apiVersion");
            }
            else if (number == 2)
            {
                kind = EnvelopeString(body, occurrence, "kind");
            }
        }

        if (apiVersion.Length == 0 || kind.Length == 0)
        {
            throw new ProtobufDecodeException("the protobuf envelope does not name the object's apiVersion and kind");
        }

        if (contentEncoding.Length != 0)
        {
            throw new ProtobufDecodeException($"unsupported protobuf content encoding \"{contentEncoding}\"");
        }

        if (contentType.Length != 0 && contentType != MediaType)
        {
            throw new ProtobufDecodeException($"the protobuf envelope holds {contentType}, not {MediaType}");
        }

        return (apiVersion, kind, raw);
    }

    private static string EnvelopeString(ReadOnlySpan<byte> body, Occurrence occurrence, string name)
    {
        var bytes = body.Slice(occurrence.Start, occurrence.Length);
        return Utf8.IsValid(bytes)
            ? System.Text.Encoding.UTF8.GetString(bytes)
            : throw new ProtobufDecodeException($"the protobuf envelope's {name} is not UTF-8");
    }
}
