namespace Flotilla.ApiServer.Patch;

/// <summary>
/// One field of a model type as the strategic merge sees it: its JSON name, what it holds, the type of its value
/// (for lists the item type, for maps the value type) and upstream's patch tags.
/// </summary>
public sealed record PatchFieldMeta(string JsonName, Type FieldType, PatchFieldKind Kind, Type? ValueType, PatchTag Tag)
{
    public PatchStrategy Strategy => Tag.Strategy;

    public string? MergeKey => Tag.MergeKey;

    /// <summary>The item type of a list field; null for other kinds.</summary>
    public Type? ElementType => Kind == PatchFieldKind.List ? ValueType : null;
}
