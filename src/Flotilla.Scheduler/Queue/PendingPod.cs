using k8s.Models;

namespace Flotilla.Scheduler.Queue;

/// <summary>A pod the queue holds and the sub-queue it is in (for debugging and the scheduler's dumps).</summary>
public sealed record PendingPod(V1Pod Pod, PendingQueue Queue);
