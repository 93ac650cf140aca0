namespace Flotilla.ApiServer.Protobuf;

/// <summary>A message: its fields in Go struct order (the order Go's JSON encoder writes them).</summary>
internal sealed class MessageSchema
{
    private readonly Dictionary<int, int> _indexByNumber;

    public MessageSchema(string name, IReadOnlyList<FieldSchema> fields)
    {
        Name = name;
        Fields = fields;
        _indexByNumber = new Dictionary<int, int>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            _indexByNumber.Add(fields[i].Number, i);
        }
    }

    /// <summary>The qualified name, e.g. <c>core.v1.PodSpec</c>.</summary>
    public string Name { get; }

    public IReadOnlyList<FieldSchema> Fields { get; }

    /// <summary>The index in <see cref="Fields"/> of a field number, or -1 for a field this schema does not know.</summary>
    public int IndexOf(int number) => _indexByNumber.TryGetValue(number, out var index) ? index : -1;
}
