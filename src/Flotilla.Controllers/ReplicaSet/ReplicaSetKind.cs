namespace Flotilla.Controllers.ReplicaSet;

/// <summary>
/// Which of the two kinds the controller keeps: ReplicaSets, or ReplicationControllers seen as ReplicaSets (upstream
/// runs one controller for both, the second through conversion). The name is the controller's service account and
/// the source of its events.
/// </summary>
public sealed record ReplicaSetKind(string Name, string ApiVersion, string Kind)
{
    public static ReplicaSetKind ReplicaSet { get; } = new("replicaset-controller", "apps/v1", "ReplicaSet");

    public static ReplicaSetKind ReplicationController { get; } = new("replication-controller", "v1", "ReplicationController");
}
