using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Conversion;

/// <summary>Converts between a served version of a kind and the version it is stored in (upstream's conversion functions).</summary>
public interface IVersionConverter
{
    IKubernetesObject<V1ObjectMeta> ToServed(IKubernetesObject<V1ObjectMeta> stored);

    IKubernetesObject<V1ObjectMeta> ToStored(IKubernetesObject<V1ObjectMeta> served);
}
