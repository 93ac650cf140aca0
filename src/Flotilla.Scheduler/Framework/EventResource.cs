namespace Flotilla.Scheduler.Framework;

/// <summary>The kinds of object whose changes can make an unschedulable pod schedulable.</summary>
public enum EventResource
{
    Pod,

    /// <summary>A pod bound to a node (its arrival or departure changes that node).</summary>
    AssignedPod,
    Node,
    PersistentVolume,
    PersistentVolumeClaim,
    StorageClass,
    Namespace,
}
