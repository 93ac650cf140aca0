using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// The stored object after a write, whether the write created it (201) or updated it (200), and when available its
/// JSON as stored (with its resourceVersion), so the answer need not encode it again.
/// </summary>
public sealed record WriteResult(IKubernetesObject<V1ObjectMeta> Object, bool Created, byte[]? Json = null);
