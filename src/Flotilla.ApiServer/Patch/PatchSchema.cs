namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Where a strategic merge stands in the model: the type of the current JSON object (null where the model says
/// nothing, e.g. under an <c>object</c> property). Lookups return the child's schema and the field's tags.
/// </summary>
internal readonly record struct PatchSchema(PatchMetaTable Table, Type? Type)
{
    public string Name => Type?.Name ?? "unknown";

    /// <summary>The field <paramref name="key"/> holding a JSON object.</summary>
    public (PatchSchema Child, PatchTag Tag) ForMap(string key)
    {
        var meta = Type is null ? null : Table.For(Type, key);
        return meta?.Kind switch
        {
            PatchFieldKind.Object => (this with { Type = meta.ValueType }, meta.Tag),
            PatchFieldKind.Map => (this with { Type = meta.FieldType }, meta.Tag),
            _ => (this with { Type = null }, meta?.Tag ?? PatchTag.None),
        };
    }

    /// <summary>The field <paramref name="key"/> holding a JSON array; the child schema is that of one item.</summary>
    public (PatchSchema Child, PatchTag Tag) ForList(string key)
    {
        var meta = Type is null ? null : Table.For(Type, key);
        return meta?.Kind == PatchFieldKind.List
            ? (this with { Type = meta.ValueType }, meta.Tag)
            : (this with { Type = null }, meta?.Tag ?? PatchTag.None);
    }
}
