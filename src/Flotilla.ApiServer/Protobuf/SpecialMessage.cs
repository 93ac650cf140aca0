namespace Flotilla.ApiServer.Protobuf;

/// <summary>
/// The last value of each field 1..N of one of apimachinery's small messages (Timestamp, Quantity, IntOrString,
/// RawExtension), read across all of its encodings as a merging decoder would; unknown fields are skipped.
/// </summary>
internal readonly ref struct SpecialMessage
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly Occurrence[] _last;
    private readonly string _name;

    public SpecialMessage(ReadOnlySpan<byte> data, ReadOnlySpan<Occurrence> sources, string name, int fieldCount)
    {
        _data = data;
        _name = name;
        _last = new Occurrence[fieldCount + 1];
        var order = 1;
        foreach (var source in sources)
        {
            IsEmpty &= source.Length == 0;
            var reader = new WireReader(data, source.Start, source.Start + source.Length);
            while (reader.TryReadTag(out var number, out var wireType))
            {
                var occurrence = reader.ReadValue(number, order++, number, wireType);
                if (number <= fieldCount)
                {
                    _last[number] = occurrence;
                }
            }
        }
    }

    /// <summary>Whether every encoding was empty (no bytes at all, which metav1.Time treats as the zero time).</summary>
    public bool IsEmpty { get; } = true;

    // Order starts at 1, so a slot never written has Order 0.
    public bool Has(int number) => _last[number].Order != 0;

    public long Int64(int number) => Has(number) ? (long)Expect(number, WireType.Varint).Value : 0;

    public ReadOnlySpan<byte> Bytes(int number)
    {
        if (!Has(number))
        {
            return default;
        }

        var occurrence = Expect(number, WireType.LengthDelimited);
        return _data.Slice(occurrence.Start, occurrence.Length);
    }

    private Occurrence Expect(int number, WireType wireType) =>
        _last[number].WireType == wireType
            ? _last[number]
            : throw new ProtobufDecodeException($"{_name} field {number}: wire type {_last[number].WireType}, expected {wireType}");
}
