using k8s;
using k8s.Models;

namespace Flotilla.Controllers.StatefulSet;

/// <summary>The StatefulSet controller's writes (status, revisions, claims) and fresh reads; tests put a fake in its place.</summary>
public interface IStatefulSetClient
{
    Task<V1StatefulSet?> GetAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1StatefulSet> UpdateStatusAsync(V1StatefulSet statefulSet, CancellationToken cancellationToken);

    Task<V1ControllerRevision> CreateRevisionAsync(string ns, V1ControllerRevision revision, CancellationToken cancellationToken);

    Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1ControllerRevision> UpdateRevisionAsync(V1ControllerRevision revision, CancellationToken cancellationToken);

    Task DeleteRevisionAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1PersistentVolumeClaim?> GetClaimAsync(string ns, string name, CancellationToken cancellationToken);

    Task<V1PersistentVolumeClaim> CreateClaimAsync(string ns, V1PersistentVolumeClaim claim, CancellationToken cancellationToken);

    Task<V1PersistentVolumeClaim> UpdateClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken);
}

public sealed class StatefulSetClient(IKubernetes client) : IStatefulSetClient
{
    public Task<V1StatefulSet?> GetAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.AppsV1.ReadNamespacedStatefulSetAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1StatefulSet> UpdateStatusAsync(V1StatefulSet statefulSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statefulSet);
        return client.AppsV1.ReplaceNamespacedStatefulSetStatusAsync(statefulSet, statefulSet.Metadata.Name, statefulSet.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task<V1ControllerRevision> CreateRevisionAsync(string ns, V1ControllerRevision revision, CancellationToken cancellationToken) =>
        client.AppsV1.CreateNamespacedControllerRevisionAsync(revision, ns, cancellationToken: cancellationToken);

    public Task<V1ControllerRevision?> GetRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.AppsV1.ReadNamespacedControllerRevisionAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1ControllerRevision> UpdateRevisionAsync(V1ControllerRevision revision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revision);
        return client.AppsV1.ReplaceNamespacedControllerRevisionAsync(revision, revision.Metadata.Name, revision.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task DeleteRevisionAsync(string ns, string name, CancellationToken cancellationToken) =>
        client.AppsV1.DeleteNamespacedControllerRevisionAsync(name, ns, cancellationToken: cancellationToken);

    public Task<V1PersistentVolumeClaim?> GetClaimAsync(string ns, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: cancellationToken));

    public Task<V1PersistentVolumeClaim> CreateClaimAsync(string ns, V1PersistentVolumeClaim claim, CancellationToken cancellationToken) =>
        client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, ns, cancellationToken: cancellationToken);

    public Task<V1PersistentVolumeClaim> UpdateClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(claim, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    private static async Task<T?> OrNull<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (Client.ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }
}
