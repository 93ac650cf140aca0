namespace Flotilla.Scheduler.Queue;

/// <summary>Where a pending pod waits; the lower-case name is the <c>queue</c> label of the queue's metrics.</summary>
public enum PendingQueue
{
    /// <summary>Ready to be popped, highest priority first.</summary>
    Active,

    /// <summary>Waiting out its back-off after a failed attempt.</summary>
    Backoff,

    /// <summary>Failed and waiting for a cluster event that may make it fit.</summary>
    Unschedulable,

    /// <summary>Never attempted: <c>spec.schedulingGates</c> is not empty.</summary>
    Gated,
}
