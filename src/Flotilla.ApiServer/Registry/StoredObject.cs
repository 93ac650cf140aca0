using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>An object as read from the store: the decoded model (resourceVersion set) and its mod revision.</summary>
public sealed record StoredObject(IKubernetesObject<V1ObjectMeta> Object, long Revision);
