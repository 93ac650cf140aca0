namespace Flotilla.Scheduler.Queue;

/// <summary>What an event means for a pod that failed (upstream queueingStrategy).</summary>
internal enum QueueingStrategy
{
    /// <summary>The event cannot help: the pod stays (or goes) in the unschedulable set.</summary>
    Skip,

    /// <summary>Retry once the pod's back-off is over.</summary>
    AfterBackoff,

    /// <summary>Retry now: a plugin that answered Pending got what it was waiting for.</summary>
    Immediately,
}
