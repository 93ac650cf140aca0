using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>The stored object after a write, and whether the write created it (201) or updated it (200).</summary>
public sealed record WriteResult(IKubernetesObject<V1ObjectMeta> Object, bool Created);
