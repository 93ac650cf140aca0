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
/// before it; <paramref name="Json"/> is the object already encoded when the watch cache has it.
/// </summary>
public sealed record ObjectChange(ChangeType Type, IKubernetesObject<V1ObjectMeta> Object, IKubernetesObject<V1ObjectMeta>? Previous, long Revision, byte[]? Json = null);
