using Flotilla.Client;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.ReplicaSet;

/// <summary>The ReplicaSet reads and writes of the controller besides its cache: a fresh read before adopting, status updates.</summary>
public interface IReplicaSetClient
{
    Task<V1ReplicaSet?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1ReplicaSet> UpdateStatusAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken);
}

public sealed class ReplicaSetClient(IKubernetes client) : IReplicaSetClient
{
    public async Task<V1ReplicaSet?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedReplicaSetAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public Task<V1ReplicaSet> UpdateStatusAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        return client.AppsV1.ReplaceNamespacedReplicaSetStatusAsync(replicaSet, replicaSet.Metadata.Name, replicaSet.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }
}
