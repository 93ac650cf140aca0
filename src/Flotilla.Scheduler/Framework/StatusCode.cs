namespace Flotilla.Scheduler.Framework;

/// <summary>What a plugin's answer means for the pod (upstream framework.Code).</summary>
public enum StatusCode
{
    Success,

    /// <summary>An internal error: the pod is retried with back-off.</summary>
    Error,

    /// <summary>Does not fit this node now; preemption might make room.</summary>
    Unschedulable,

    /// <summary>Does not fit this node, and evicting pods would not change that.</summary>
    UnschedulableAndUnresolvable,

    /// <summary>A Permit plugin holds the pod.</summary>
    Wait,

    /// <summary>The plugin has nothing to do for this pod; its later extension points are skipped.</summary>
    Skip,
}
