using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Watch;

/// <summary>An object as the watch cache holds it: decoded (resourceVersion set) and encoded once, shared by every reader.</summary>
public sealed record CachedObject(string Key, IKubernetesObject<V1ObjectMeta> Object, byte[] Json, long Revision);
