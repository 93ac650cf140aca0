namespace Flotilla.Controllers.Job;

/// <summary>The names the Job controller writes and reads on jobs and pods (upstream's batch/v1 constants).</summary>
public static class JobNames
{
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";
    public const string CompletionIndex = "batch.kubernetes.io/job-completion-index";
    public const string CompletionIndexEnv = "JOB_COMPLETION_INDEX";
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string ManagedBy = "kubernetes.io/job-controller";

    public const string NonIndexed = "NonIndexed";
    public const string Indexed = "Indexed";

    // Condition types.
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string Suspended = "Suspended";
    public const string FailureTarget = "FailureTarget";
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";

    // Condition reasons and messages.
    public const string BackoffLimitExceeded = "BackoffLimitExceeded";
    public const string BackoffLimitExceededMessage = "Job has reached the specified backoff limit";
    public const string DeadlineExceeded = "DeadlineExceeded";
    public const string DeadlineExceededMessage = "Job was active longer than specified deadline";
    public const string PodFailurePolicy = "PodFailurePolicy";
    public const string CompletionsReached = "CompletionsReached";
    public const string CompletionsReachedMessage = "Reached expected number of succeeded pods";
    public const string MaxFailedIndexesExceeded = "MaxFailedIndexesExceeded";
    public const string MaxFailedIndexesExceededMessage = "Job has exceeded the specified maximal number of failed indexes";
    public const string FailedIndexes = "FailedIndexes";
    public const string FailedIndexesMessage = "Job has failed indexes";
}
