namespace Flotilla.Scheduler.Queue;

/// <summary>Why a pod entered a sub-queue, as the <c>event</c> label of scheduler_queue_incoming_pods_total (upstream's event labels).</summary>
internal static class QueueEvents
{
    public const string PodAdd = "UnschedulablePodAdd";
    public const string PodUpdate = "UnschedulablePodUpdate";
    public const string ScheduleAttemptFailure = "ScheduleAttemptFailure";
    public const string BackoffComplete = "BackoffComplete";
    public const string UnschedulableTimeout = "UnschedulableTimeout";
}
