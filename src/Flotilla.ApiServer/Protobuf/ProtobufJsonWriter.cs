using System.Runtime.InteropServices;
using System.Text.Json;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// Writes the Go JSON form of protobuf messages found in one buffer. Each message is read in two passes: its fields
/// are collected (which validates the wire data), then written in schema order. So a repeated field split on the
/// wire still forms one array, a singular scalar given twice keeps the last value and a message given twice is
/// merged, as protobuf decoders do.
/// </summary>
internal readonly ref struct ProtobufJsonWriter
{
    /// <summary>Messages nested deeper than this are refused, whatever the schema allows.</summary>
    public const int MaxDepth = 64;

    /// <summary>Refuses bodies whose JSON form would be this large (empty repeated messages expand to their defaults).</summary>
    public const long MaxOutputBytes = 32L * 1024 * 1024;

    private readonly ReadOnlySpan<byte> _data;
    private readonly Utf8JsonWriter _writer;

    public ProtobufJsonWriter(ReadOnlySpan<byte> data, Utf8JsonWriter writer)
    {
        _data = data;
        _writer = writer;
    }

    /// <summary>
    /// Writes the message whose encodings are the payloads of <paramref name="sources"/> (none: the zero value) as an
    /// object, or when <paramref name="inline"/> as members of the object being written.
    /// </summary>
    public void WriteMessage(MessageSchema schema, ReadOnlySpan<Occurrence> sources, int depth, bool inline)
    {
        if (depth > MaxDepth)
        {
            throw new ProtobufDecodeException($"{schema.Name}: messages nested deeper than {MaxDepth} levels");
        }

        var found = Collect(schema, sources);
        var all = CollectionsMarshal.AsSpan(found);
        if (!inline)
        {
            _writer.WriteStartObject();
        }

        var at = 0;
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var end = at;
            while (end < all.Length && all[end].FieldIndex == i)
            {
                end++;
            }

            var field = schema.Fields[i];
            var occurrences = all[at..end];
            switch (field.Cardinality)
            {
                case FieldCardinality.Single:
                    WriteSingle(schema, field, occurrences, depth);
                    break;
                case FieldCardinality.Repeated:
                    WriteRepeated(schema, field, occurrences, depth);
                    break;
                default:
                    WriteMap(schema, field, occurrences, depth);
                    break;
            }

            at = end;
        }

        if (!inline)
        {
            _writer.WriteEndObject();
        }

        if (_writer.BytesCommitted + _writer.BytesPending > MaxOutputBytes)
        {
            throw new ProtobufDecodeException($"the JSON form of the object exceeds {MaxOutputBytes} bytes");
        }
    }

    private List<Occurrence> Collect(MessageSchema schema, ReadOnlySpan<Occurrence> sources)
    {
        var found = new List<Occurrence>();
        var order = 0;
        foreach (ref readonly var source in sources)
        {
            var reader = new WireReader(_data, source.Start, source.Start + source.Length);
            while (reader.TryReadTag(out var number, out var wireType))
            {
                var index = schema.IndexOf(number);
                var occurrence = reader.ReadValue(index, order++, number, wireType);
                if (index >= 0)
                {
                    found.Add(occurrence);
                }
            }
        }

        found.Sort(static (a, b) => a.FieldIndex != b.FieldIndex ? a.FieldIndex.CompareTo(b.FieldIndex) : a.Order.CompareTo(b.Order));
        return found;
    }

    private void WriteSingle(MessageSchema schema, FieldSchema field, ReadOnlySpan<Occurrence> occurrences, int depth)
    {
        if (occurrences.IsEmpty && field.Presence != FieldPresence.Value)
        {
            return;
        }

        if (field.IsScalar)
        {
            if (occurrences.IsEmpty)
            {
                _writer.WritePropertyName(field.EncodedName);
                _writer.WriteZeroScalar(field.Kind, mapValue: false);
                return;
            }

            var last = occurrences[^1];
            Expect(schema, field, last);
            if (field.Presence == FieldPresence.OmitEmpty && IsZero(field.Kind, last))
            {
                return;
            }

            _writer.WritePropertyName(field.EncodedName);
            WriteScalar(field.Kind, last);
            return;
        }

        foreach (var occurrence in occurrences)
        {
            Expect(schema, field, occurrence);
        }

        if (!field.IsInline)
        {
            _writer.WritePropertyName(field.EncodedName);
        }

        WriteComposite(field, occurrences, depth, field.IsInline);
    }

    private void WriteRepeated(MessageSchema schema, FieldSchema field, ReadOnlySpan<Occurrence> occurrences, int depth)
    {
        if (occurrences.IsEmpty)
        {
            return;
        }

        _writer.WritePropertyName(field.EncodedName);
        _writer.WriteStartArray();
        for (var i = 0; i < occurrences.Length; i++)
        {
            var occurrence = occurrences[i];
            if (field.IsVarint && occurrence.WireType == WireType.LengthDelimited)
            {
                // Packed: one run of varints (proto3's default; proto2 decoders accept both forms).
                var reader = new WireReader(_data, occurrence.Start, occurrence.Start + occurrence.Length);
                while (!reader.AtEnd)
                {
                    _writer.WriteVarint(field.Kind, reader.ReadVarint());
                }

                continue;
            }

            Expect(schema, field, occurrence);
            if (field.IsScalar)
            {
                WriteScalar(field.Kind, occurrence);
            }
            else
            {
                WriteComposite(field, occurrences.Slice(i, 1), depth, inline: false);
            }
        }

        _writer.WriteEndArray();
    }

    // A map is a repeated entry message {key = 1, value = 2}. Go keeps the last value of a repeated key and its JSON
    // encoder sorts keys bytewise; doing the same keeps the object free of duplicate members.
    private void WriteMap(MessageSchema schema, FieldSchema field, ReadOnlySpan<Occurrence> occurrences, int depth)
    {
        if (occurrences.IsEmpty)
        {
            return;
        }

        var entries = new (byte[] Key, int Index)[occurrences.Length];
        var parts = new List<Occurrence>();
        for (var i = 0; i < occurrences.Length; i++)
        {
            Expect(schema, field, occurrences[i], WireType.LengthDelimited);
            CollectNumber(occurrences[i], 1, parts);
            var key = parts.Count == 0 ? default : parts[^1];
            if (parts.Count > 0 && key.WireType != WireType.LengthDelimited)
            {
                throw new ProtobufDecodeException($"{schema.Name}.{field.JsonName} (field {field.Number}): map key with wire type {key.WireType}");
            }

            entries[i] = (_data.Slice(key.Start, key.Length).ToArray(), i);
        }

        Array.Sort(entries, static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key) is var byKey and not 0 ? byKey : a.Index.CompareTo(b.Index));
        _writer.WritePropertyName(field.EncodedName);
        _writer.WriteStartObject();
        for (var i = 0; i < entries.Length; i++)
        {
            if (i + 1 < entries.Length && entries[i + 1].Key.AsSpan().SequenceEqual(entries[i].Key))
            {
                continue;
            }

            CollectNumber(occurrences[entries[i].Index], 2, parts);
            var values = CollectionsMarshal.AsSpan(parts);
            foreach (var value in values)
            {
                Expect(schema, field, value);
            }

            _writer.WriteGoPropertyName(entries[i].Key);
            if (!field.IsScalar)
            {
                WriteComposite(field, values, depth, inline: false);
            }
            else if (values.IsEmpty)
            {
                _writer.WriteZeroScalar(field.Kind, mapValue: true);
            }
            else
            {
                WriteScalar(field.Kind, values[^1]);
            }
        }

        _writer.WriteEndObject();
    }

    private void WriteComposite(FieldSchema field, ReadOnlySpan<Occurrence> sources, int depth, bool inline)
    {
        if (field.Kind == ValueKind.Message)
        {
            WriteMessage(field.Message!, sources, depth + 1, inline);
        }
        else
        {
            SpecialValueWriter.Write(_writer, _data, field.Kind, sources);
        }
    }

    // Replaces the contents of `into` with the occurrences of one field in a message's encoding.
    private void CollectNumber(Occurrence source, int number, List<Occurrence> into)
    {
        into.Clear();
        var reader = new WireReader(_data, source.Start, source.Start + source.Length);
        while (reader.TryReadTag(out var n, out var wireType))
        {
            var occurrence = reader.ReadValue(0, into.Count, n, wireType);
            if (n == number)
            {
                into.Add(occurrence);
            }
        }
    }

    private void WriteScalar(ValueKind kind, Occurrence occurrence)
    {
        switch (kind)
        {
            case ValueKind.String:
                _writer.WriteGoString(_data.Slice(occurrence.Start, occurrence.Length));
                break;
            case ValueKind.Bytes:
                _writer.WriteBase64StringValue(_data.Slice(occurrence.Start, occurrence.Length));
                break;
            default:
                _writer.WriteVarint(kind, occurrence.Value);
                break;
        }
    }

    private static bool IsZero(ValueKind kind, Occurrence occurrence) => kind switch
    {
        ValueKind.String or ValueKind.Bytes => occurrence.Length == 0,
        ValueKind.Int32 => (int)occurrence.Value == 0,
        _ => occurrence.Value == 0,
    };

    private static void Expect(MessageSchema schema, FieldSchema field, Occurrence occurrence) =>
        Expect(schema, field, occurrence, field.IsVarint ? WireType.Varint : WireType.LengthDelimited);

    private static void Expect(MessageSchema schema, FieldSchema field, Occurrence occurrence, WireType expected)
    {
        if (occurrence.WireType != expected)
        {
            throw new ProtobufDecodeException(
                $"{schema.Name}.{field.JsonName ?? "(inline)"} (field {field.Number}): wire type {occurrence.WireType}, expected {expected}");
        }
    }
}
