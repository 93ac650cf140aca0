using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>A job's conditions as upstream's controller keeps them (newCondition, ensureJobConditionStatus, IsJobFinished).</summary>
public static class JobConditions
{
    public static V1JobCondition New(string type, string reason, string message, DateTimeOffset now) => new()
    {
        Type = type,
        Status = "True",
        Reason = reason,
        Message = message,
        LastProbeTime = Api.Timestamps.Of(now),
        LastTransitionTime = Api.Timestamps.Of(now),
    };

    public static V1JobCondition? Find(V1Job job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(V1Job job, string type) => Find(job, type)?.Status == "True";

    /// <summary>Complete or Failed.</summary>
    public static bool IsFinished(V1Job job) => IsTrue(job, JobNames.Complete) || IsTrue(job, JobNames.Failed);

    /// <summary>
    /// Sets a condition: one of the type that differs in status, reason or message is replaced (new times); a missing
    /// one is added unless it would say False. True when something changed.
    /// </summary>
    public static bool Ensure(V1JobStatus status, string type, string conditionStatus, string reason, string message, DateTimeOffset now)
    {
        for (var i = 0; i < (status.Conditions?.Count ?? 0); i++)
        {
            var c = status.Conditions![i];
            if (c.Type != type)
            {
                continue;
            }

            if (c.Status == conditionStatus && c.Reason == reason && c.Message == message)
            {
                return false;
            }

            status.Conditions[i] = New(type, reason, message, now);
            status.Conditions[i].Status = conditionStatus;
            return true;
        }

        if (conditionStatus == "False")
        {
            return false;
        }

        var added = New(type, reason, message, now);
        added.Status = conditionStatus;
        (status.Conditions ??= []).Add(added);
        return true;
    }
}
