namespace Flotilla.Scheduler.Framework;

/// <summary>What happened to an object (upstream framework.ActionType); node updates say which part changed.</summary>
[Flags]
public enum ActionType
{
    None = 0,
    Add = 1,
    Delete = 2,
    UpdateNodeAllocatable = 4,
    UpdateNodeLabel = 8,
    UpdateNodeTaint = 16,
    UpdateNodeCondition = 32,
    UpdateNodeAnnotation = 64,
    UpdatePodLabel = 128,
    UpdatePodScaleDown = 256,
    UpdatePodTolerations = 512,
    UpdatePodSchedulingGatesEliminated = 1024,
    UpdatePodGeneric = 2048,
    Update = UpdateNodeAllocatable | UpdateNodeLabel | UpdateNodeTaint | UpdateNodeCondition | UpdateNodeAnnotation
        | UpdatePodLabel | UpdatePodScaleDown | UpdatePodTolerations | UpdatePodSchedulingGatesEliminated | UpdatePodGeneric,
    All = Add | Delete | Update,
}
