using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>The object a DELETE answers with, and whether it is gone (200) or only marked for deletion (202).</summary>
public sealed record DeleteResult(IKubernetesObject<V1ObjectMeta> Object, bool Deleted);
