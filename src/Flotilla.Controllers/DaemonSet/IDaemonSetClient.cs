using k8s;
using k8s.Models;

namespace Flotilla.Controllers.DaemonSet;

/// <summary>The DaemonSet controller's writes (status, ControllerRevisions) and its fresh reads; tests put a fake in its place.</summary>
public interface IDaemonSetClient
{
    Task<V1DaemonSet?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1DaemonSet> UpdateStatusAsync(V1DaemonSet daemonSet, CancellationToken cancellationToken);

    Task<V1ControllerRevision> CreateRevisionAsync(string ns, V1ControllerRevision revision, CancellationToken cancellationToken);

    Task<V1ControllerRevision> UpdateRevisionAsync(V1ControllerRevision revision, CancellationToken cancellationToken);

    Task DeleteRevisionAsync(string ns, string name, CancellationToken cancellationToken);
}

public sealed class DaemonSetClient(IKubernetes client) : IDaemonSetClient
{
    public async Task<V1DaemonSet?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDaemonSetAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Client.ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public Task<V1DaemonSet> UpdateStatusAsync(V1DaemonSet daemonSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(daemonSet);
        return client.AppsV1.ReplaceNamespacedDaemonSetStatusAsync(daemonSet, daemonSet.Metadata.Name, daemonSet.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task<V1ControllerRevision> CreateRevisionAsync(string ns, V1ControllerRevision revision, CancellationToken cancellationToken) =>
        client.AppsV1.CreateNamespacedControllerRevisionAsync(revision, ns, cancellationToken: cancellationToken);

    public Task<V1ControllerRevision> UpdateRevisionAsync(V1ControllerRevision revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return client.AppsV1.ReplaceNamespacedControllerRevisionAsync(revision, revision.Metadata.Name, revision.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task DeleteRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.AppsV1.DeleteNamespacedControllerRevisionAsync(name, ns, cancellationToken: cancellationToken);
}
