using System.Collections.Concurrent;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// Upstream's patch tags keyed by (model type, JSON field), joined with what reflection tells about each field.
/// <see cref="PatchMeta.Kubernetes"/> is the table for <c>k8s.Models</c>; tests build their own for fixture types.
/// </summary>
public sealed class PatchMetaTable
{
    private readonly IReadOnlyDictionary<(Type Owner, string Field), PatchTag> tags;
    private readonly ConcurrentDictionary<(Type Owner, string Field), PatchFieldMeta?> cache = new();

    public PatchMetaTable(IReadOnlyDictionary<(Type Owner, string Field), PatchTag> tags)
    {
        this.tags = tags;
    }

    /// <summary>Every declared tag, for generators (OpenAPI's <c>x-kubernetes-patch-*</c> and <c>x-kubernetes-list-*</c>).</summary>
    public IReadOnlyDictionary<(Type Owner, string Field), PatchTag> Tags => tags;

    /// <summary>
    /// The field <paramref name="jsonField"/> of <paramref name="ownerType"/>; null when the type has no such field.
    /// A map type (<c>IDictionary&lt;string, T&gt;</c>) has every key, each holding a <c>T</c>.
    /// </summary>
    public PatchFieldMeta? For(Type ownerType, string jsonField) => cache.GetOrAdd((ownerType, jsonField), Resolve);

    private PatchFieldMeta? Resolve((Type Owner, string Field) key)
    {
        var (ownerKind, ownerValue) = ModelFields.Classify(key.Owner);
        Type? fieldType;
        if (ownerKind == PatchFieldKind.Map)
        {
            fieldType = ownerValue;
        }
        else if (!ModelFields.Of(key.Owner).TryGetValue(key.Field, out fieldType))
        {
            return null;
        }

        if (fieldType is null)
        {
            return null;
        }

        var (kind, valueType) = ModelFields.Classify(fieldType);
        var tag = tags.GetValueOrDefault(key) ?? PatchTag.None;
        return new PatchFieldMeta(key.Field, fieldType, kind, valueType, tag);
    }
}
