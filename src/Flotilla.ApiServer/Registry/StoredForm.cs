using System.Globalization;
using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Conversion;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// How a resource's objects look in the store and back: JSON without the resourceVersion (the store's revision, set
/// on every read), and for another version of a kind, its storage version's form (converted, defaulted, validated).
/// </summary>
internal sealed class StoredForm(IObjectStrategy strategy, StorageVersion? storedAs)
{
    private readonly byte[] _prefix = StoredJson.Prefix(strategy.Resource);

    public byte[] Encode(IObjectStrategy writer, IKubernetesObject<V1ObjectMeta> obj)
    {
        obj.Metadata.ResourceVersion = null;
        return storedAs is null ? writer.Encode(obj) : storedAs.Strategy.Encode(ToStorageVersion(writer, obj));
    }

    public StoredObject Decode(Storage.KeyValue kv)
    {
        var obj = storedAs is null ? strategy.Decode(kv.Value) : storedAs.Converter.ToServed(storedAs.Strategy.Decode(kv.Value));
        obj.Metadata.ResourceVersion = kv.ModRevision.ToString(CultureInfo.InvariantCulture);
        return new StoredObject(obj, kv.ModRevision);
    }

    /// <summary>The stored JSON as served at <paramref name="revision"/> (its own by default), decoding only when it must.</summary>
    public byte[] ServedJson(Storage.KeyValue kv, long? revision = null)
    {
        var rv = revision ?? kv.ModRevision;
        if (storedAs is null && StoredJson.WithResourceVersion(kv.Value, _prefix, rv) is { } spliced)
        {
            return spliced;
        }

        var obj = Decode(kv).Object;
        obj.Metadata.ResourceVersion = rv.ToString(CultureInfo.InvariantCulture);
        return strategy.Encode(obj);
    }

    /// <summary>Stored bytes as the answer to the write that stored them (null when they are another version's form).</summary>
    public byte[]? AsServed(byte[] stored, long revision) =>
        storedAs is null ? StoredJson.WithResourceVersion(stored, _prefix, revision) : null;

    /// <summary>Another version of a kind is also held to its storage version's rules (upstream validates the internal form).</summary>
    public IReadOnlyList<FieldError> ValidateStored(IObjectStrategy writer, IKubernetesObject<V1ObjectMeta> obj) =>
        storedAs is null ? [] : storedAs.Strategy.Validate(ToStorageVersion(writer, obj));

    // Conversion hands over the metadata object: a copy is converted so the caller's object stays in its version.
    private IKubernetesObject<V1ObjectMeta> ToStorageVersion(IObjectStrategy writer, IKubernetesObject<V1ObjectMeta> obj)
    {
        var stored = storedAs!.Converter.ToStored(writer.Decode(writer.Encode(obj)));
        storedAs.Strategy.Default(stored);
        return stored;
    }
}
