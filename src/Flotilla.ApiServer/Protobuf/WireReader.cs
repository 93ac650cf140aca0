using System.Buffers.Binary;

namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// Reads protobuf wire data between two absolute positions of a buffer. Every read is bounds-checked and throws
/// <see cref="ProtobufDecodeException"/> instead of reading past the window, so hostile lengths cannot escape it.
/// </summary>
internal ref struct WireReader
{
    // Field numbers are 29 bits; 0 is never valid (as in the protobuf spec and gogo's generated unmarshalers).
    private const int MaxFieldNumber = (1 << 29) - 1;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _end;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data, int start, int end)
    {
        _data = data;
        _position = start;
        _end = end;
    }

    public readonly bool AtEnd => _position >= _end;

    /// <summary>Reads the next field tag, or returns false at the end of the window.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (_position >= _end)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        var tagAt = _position;
        var tag = ReadVarint();
        var number = tag >> 3;
        if (number is 0 or > MaxFieldNumber)
        {
            throw new ProtobufDecodeException($"invalid field number {number} at byte {tagAt}");
        }

        fieldNumber = (int)number;
        wireType = (WireType)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _end)
            {
                throw new ProtobufDecodeException($"truncated varint at byte {_position}");
            }

            var b = _data[_position++];
            // The tenth byte may only carry the 64th bit.
            if (shift == 63 && b > 1)
            {
                throw new ProtobufDecodeException($"varint overflows 64 bits at byte {_position - 1}");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new ProtobufDecodeException($"varint longer than 10 bytes at byte {_position}");
    }

    /// <summary>Reads a length prefix and skips the payload, returning where the payload lies.</summary>
    public (int Start, int Length) ReadLengthDelimited()
    {
        var lengthAt = _position;
        var length = ReadVarint();
        if (length > (ulong)(_end - _position))
        {
            throw new ProtobufDecodeException($"length {length} at byte {lengthAt} runs past the end of its message ({_end - _position} bytes left)");
        }

        var start = _position;
        _position += (int)length;
        return (start, (int)length);
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>Reads one value of the given wire type into an occurrence of <paramref name="fieldIndex"/>.</summary>
    public Occurrence ReadValue(int fieldIndex, int order, int fieldNumber, WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                return new Occurrence(fieldIndex, order, wireType, ReadVarint(), 0, 0);
            case WireType.Fixed64:
                return new Occurrence(fieldIndex, order, wireType, ReadFixed64(), 0, 0);
            case WireType.Fixed32:
                return new Occurrence(fieldIndex, order, wireType, ReadFixed32(), 0, 0);
            case WireType.LengthDelimited:
                var (start, length) = ReadLengthDelimited();
                return new Occurrence(fieldIndex, order, wireType, 0, start, length);
            case WireType.StartGroup or WireType.EndGroup:
                // Kubernetes never encodes groups (they are deprecated proto2); refusing them keeps skipping linear.
                throw new ProtobufDecodeException($"field {fieldNumber}: groups are not supported");
            default:
                throw new ProtobufDecodeException($"field {fieldNumber}: invalid wire type {(int)wireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_end - _position < count)
        {
            throw new ProtobufDecodeException($"truncated {count}-byte value at byte {_position}");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
