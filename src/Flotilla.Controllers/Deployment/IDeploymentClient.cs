using Flotilla.Client;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Deployment;

/// <summary>The writes of the Deployment controller (and its fresh reads), so tests can record them.</summary>
public interface IDeploymentClient
{
    Task<V1Deployment?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    /// <summary>Writes status, and with it the revision annotation (the status subresource of Deployments keeps annotations).</summary>
    Task<V1Deployment> UpdateStatusAsync(V1Deployment deployment, CancellationToken cancellationToken);

    Task<V1ReplicaSet> CreateReplicaSetAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken);

    Task<V1ReplicaSet> UpdateReplicaSetAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken);

    Task DeleteReplicaSetAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken);

    Task PatchReplicaSetAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken);
}

public sealed class DeploymentClient(IKubernetes client) : IDeploymentClient
{
    public async Task<V1Deployment?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public Task<V1Deployment> UpdateStatusAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(deployment, deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task<V1ReplicaSet> CreateReplicaSetAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        return client.AppsV1.CreateNamespacedReplicaSetAsync(replicaSet, replicaSet.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task<V1ReplicaSet> UpdateReplicaSetAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        return client.AppsV1.ReplaceNamespacedReplicaSetAsync(replicaSet, replicaSet.Metadata.Name, replicaSet.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public async Task DeleteReplicaSetAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        try
        {
            await client.AppsV1.DeleteNamespacedReplicaSetAsync(replicaSet.Metadata.Name, replicaSet.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
            // Gone already.
        }
    }

    public Task PatchReplicaSetAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken) =>
        client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch(strategicMergePatch, V1Patch.PatchType.StrategicMergePatch), name, ns, cancellationToken: cancellationToken);
}
