using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

public enum ChangeType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>
/// A change to one object: the object after it (for a deletion, the last version at the deletion's revision) and
/// before it, decoded only when asked for; <see cref="Json"/> is the object already encoded when the watch cache has it.
/// </summary>
public sealed class ObjectChange(
    ChangeType type,
    Func<IKubernetesObject<V1ObjectMeta>> current,
    Func<IKubernetesObject<V1ObjectMeta>>? previous,
    long revision,
    byte[]? json = null)
{
    private readonly Lazy<IKubernetesObject<V1ObjectMeta>> _object = new(current);
    private readonly Lazy<IKubernetesObject<V1ObjectMeta>?> _previous = new(() => previous?.Invoke());

    public ChangeType Type { get; } = type;

    public IKubernetesObject<V1ObjectMeta> Object => _object.Value;

    public bool HasPrevious { get; } = previous is not null;

    public IKubernetesObject<V1ObjectMeta>? Previous => _previous.Value;

    public long Revision { get; } = revision;

    public byte[]? Json { get; } = json;
}
