using k8s.Models;

namespace Flotilla.Controllers.Deployment;

/// <summary>Upstream's deployment conditions: their reasons, and how a condition is set without losing its transition time.</summary>
public static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string NewReplicaSetCreated = "NewReplicaSetCreated";
    public const string FoundNewReplicaSet = "FoundNewReplicaSet";
    public const string ReplicaSetUpdated = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailable = "NewReplicaSetAvailable";
    public const string ProgressDeadlineExceeded = "ProgressDeadlineExceeded";
    public const string DeploymentPaused = "DeploymentPaused";
    public const string DeploymentResumed = "DeploymentResumed";
    public const string ReplicaSetCreateError = "ReplicaSetCreateError";
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    public static V1DeploymentCondition New(string type, string status, string reason, string message, DateTimeOffset now) =>
        new() { Type = type, Status = status, Reason = reason, Message = message, LastUpdateTime = Api.Timestamps.Of(now), LastTransitionTime = Api.Timestamps.Of(now) };

    public static V1DeploymentCondition? Get(V1DeploymentStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>SetDeploymentCondition: same status and reason changes nothing; same status keeps the transition time.</summary>
    public static void Set(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        var current = Get(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason)
        {
            return;
        }

        if (current is not null && current.Status == condition.Status)
        {
            condition.LastTransitionTime = current.LastTransitionTime;
        }

        status.Conditions = [.. (status.Conditions ?? []).Where(c => c.Type != condition.Type), condition];
    }

    public static void Remove(V1DeploymentStatus status, string type)
    {
        if (status.Conditions is { } conditions)
        {
            status.Conditions = [.. conditions.Where(c => c.Type != type)];
        }
    }

    public static bool HasProgressDeadline(V1Deployment d) => d.Spec.ProgressDeadlineSeconds is { } s && s != int.MaxValue;

    /// <summary>Every replica updated, present and available, for this generation (DeploymentComplete).</summary>
    public static bool Complete(V1Deployment d, V1DeploymentStatus status) =>
        (status.UpdatedReplicas ?? 0) == DeploymentMath.Replicas(d) && (status.Replicas ?? 0) == DeploymentMath.Replicas(d) &&
        (status.AvailableReplicas ?? 0) == DeploymentMath.Replicas(d) && (status.ObservedGeneration ?? 0) >= (d.Metadata.Generation ?? 0);

    /// <summary>More updated, ready or available pods, or fewer old ones, than the status last said (DeploymentProgressing).</summary>
    public static bool MadeProgress(V1Deployment d, V1DeploymentStatus status)
    {
        var old = d.Status ?? new V1DeploymentStatus();
        return (status.UpdatedReplicas ?? 0) > (old.UpdatedReplicas ?? 0) ||
            (status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0) < (old.Replicas ?? 0) - (old.UpdatedReplicas ?? 0) ||
            (status.ReadyReplicas ?? 0) > (old.ReadyReplicas ?? 0) ||
            (status.AvailableReplicas ?? 0) > (old.AvailableReplicas ?? 0);
    }

    public static bool TimedOut(V1Deployment d, V1DeploymentStatus status, DateTimeOffset now)
    {
        if (!HasProgressDeadline(d) || Get(status, Progressing) is not { } condition || condition.Reason == NewReplicaSetAvailable)
        {
            return false;
        }

        return condition.Reason == ProgressDeadlineExceeded ||
            (condition.LastUpdateTime is { } from && new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)).AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) < now);
    }
}
