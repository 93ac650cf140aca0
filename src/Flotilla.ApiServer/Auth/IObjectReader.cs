using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Reads the objects token authenticators check (upstream's ServiceAccountTokenGetter and secret lister): service
/// accounts, pods, secrets, nodes. Null when the object does not exist.
/// </summary>
public interface IObjectReader
{
    ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
