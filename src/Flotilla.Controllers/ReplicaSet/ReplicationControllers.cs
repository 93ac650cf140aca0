using Flotilla.Client;
using Flotilla.Client.Informers;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.ReplicaSet;

/// <summary>
/// ReplicationControllers as ReplicaSets and back (upstream's replication package): the selector map becomes
/// <c>matchLabels</c>; metadata and template are shared, not copied, so converted objects are read, never changed.
/// The converted object keeps the ReplicationController's kind, so events and owner checks name it.
/// </summary>
public static class ReplicationControllers
{
    public static V1ReplicaSet ToReplicaSet(V1ReplicationController rc)
    {
        ArgumentNullException.ThrowIfNull(rc);
        return new V1ReplicaSet
        {
            ApiVersion = ReplicaSetKind.ReplicationController.ApiVersion,
            Kind = ReplicaSetKind.ReplicationController.Kind,
            Metadata = rc.Metadata,
            Spec = new V1ReplicaSetSpec
            {
                Replicas = rc.Spec?.Replicas,
                MinReadySeconds = rc.Spec?.MinReadySeconds,
                Selector = new V1LabelSelector { MatchLabels = rc.Spec?.Selector },
                Template = rc.Spec?.Template,
            },
            Status = rc.Status is not { } status ? null : new V1ReplicaSetStatus
            {
                Replicas = status.Replicas,
                FullyLabeledReplicas = status.FullyLabeledReplicas,
                ReadyReplicas = status.ReadyReplicas,
                AvailableReplicas = status.AvailableReplicas,
                ObservedGeneration = status.ObservedGeneration,
                Conditions = status.Conditions?.Select(c => new V1ReplicaSetCondition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastTransitionTime = c.LastTransitionTime }).ToList(),
            },
        };
    }

    public static V1ReplicationController FromReplicaSet(V1ReplicaSet rs)
    {
        ArgumentNullException.ThrowIfNull(rs);
        return new V1ReplicationController
        {
            ApiVersion = ReplicaSetKind.ReplicationController.ApiVersion,
            Kind = ReplicaSetKind.ReplicationController.Kind,
            Metadata = rs.Metadata,
            Spec = new V1ReplicationControllerSpec
            {
                Replicas = rs.Spec.Replicas,
                MinReadySeconds = rs.Spec.MinReadySeconds,
                Selector = rs.Spec.Selector?.MatchLabels,
                Template = rs.Spec.Template,
            },
            Status = rs.Status is not { } status ? null : new V1ReplicationControllerStatus
            {
                Replicas = status.Replicas,
                FullyLabeledReplicas = status.FullyLabeledReplicas,
                ReadyReplicas = status.ReadyReplicas,
                AvailableReplicas = status.AvailableReplicas,
                ObservedGeneration = status.ObservedGeneration,
                Conditions = status.Conditions?.Select(c => new V1ReplicationControllerCondition { Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, LastTransitionTime = c.LastTransitionTime }).ToList(),
            },
        };
    }
}

public sealed class ReplicationControllerReader(Lister<V1ReplicationController> lister) : IReplicaSetReader
{
    public V1ReplicaSet? Get(string ns, string name) => lister.Get(ns, name) is { } rc ? ReplicationControllers.ToReplicaSet(rc) : null;

    public IReadOnlyList<V1ReplicaSet> List(string ns) => [.. lister.List(ns).Select(ReplicationControllers.ToReplicaSet)];
}

public sealed class ReplicationControllerClient(IKubernetes client) : IReplicaSetClient
{
    public async Task<V1ReplicaSet?> GetAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return ReplicationControllers.ToReplicaSet(await client.CoreV1.ReadNamespacedReplicationControllerAsync(name, ns, cancellationToken: cancellationToken));
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
            return null;
        }
    }

    public async Task<V1ReplicaSet> UpdateStatusAsync(V1ReplicaSet replicaSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replicaSet);
        var rc = ReplicationControllers.FromReplicaSet(replicaSet);
        return ReplicationControllers.ToReplicaSet(await client.CoreV1.ReplaceNamespacedReplicationControllerStatusAsync(rc, rc.Metadata.Name, rc.Metadata.NamespaceProperty, cancellationToken: cancellationToken));
    }
}
