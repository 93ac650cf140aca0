using System.Globalization;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>What the Job controller reads off its pods (upstream's job_controller and indexed_job_utils helpers).</summary>
public static class JobPods
{
    public static bool HasFinalizer(V1Pod pod) => pod.Metadata.Finalizers?.Contains(JobNames.TrackingFinalizer) == true;

    public static bool IsTerminating(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    /// <summary>
    /// Upstream's isPodFailed: Failed; or, unless only failed pods are replaced (podReplacementPolicy Failed, or a
    /// pod failure policy), a pod being deleted that did not succeed.
    /// </summary>
    public static bool IsFailed(V1Pod pod, V1Job job)
    {
        if (pod.Status?.Phase == "Failed")
        {
            return true;
        }

        return !OnlyReplaceFailedPods(job) && pod.Metadata.DeletionTimestamp is not null && pod.Status?.Phase != "Succeeded";
    }

    public static bool OnlyReplaceFailedPods(V1Job job) =>
        job.Spec.PodReplacementPolicy == "Failed" || job.Spec.PodFailurePolicy is not null;

    /// <summary>The pod's completion index (annotation, else label), or null when it has none or it is not a number.</summary>
    public static int? Index(V1Pod pod)
    {
        var text = pod.Metadata.Annotations?.TryGetValue(JobNames.CompletionIndex, out var a) == true ? a
            : pod.Metadata.Labels?.TryGetValue(JobNames.CompletionIndex, out var l) == true ? l : null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    /// <summary>An index this Indexed job may have: present and below completions.</summary>
    public static bool HasValidIndex(V1Pod pod, V1Job job) => Index(pod) is { } i && i < (job.Spec.Completions ?? 0);

    /// <summary>
    /// When the pod finished (upstream's getFinishedTime): the last container to terminate, else the Ready=False
    /// transition, else its deletion time less the grace period, else its creation.
    /// </summary>
    public static DateTimeOffset FinishTime(V1Pod pod)
    {
        var statuses = (pod.Status?.ContainerStatuses ?? []).Concat((pod.Status?.InitContainerStatuses ?? []).Where(s => IsSidecar(pod, s.Name)));
        DateTimeOffset? latest = null;
        var allTerminated = true;
        foreach (var status in statuses)
        {
            if (status.State?.Terminated?.FinishedAt is { } at)
            {
                var t = Utc(at);
                latest = latest is null || t > latest ? t : latest;
            }
            else
            {
                allTerminated = false;
            }
        }

        if (allTerminated && latest is { } finished)
        {
            return finished;
        }

        if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "False")?.LastTransitionTime is { } notReady)
        {
            return Utc(notReady);
        }

        if (pod.Metadata.DeletionTimestamp is { } deleted)
        {
            return Utc(deleted).AddSeconds(-(pod.Metadata.DeletionGracePeriodSeconds ?? 0));
        }

        return pod.Metadata.CreationTimestamp is { } created ? Utc(created) : DateTimeOffset.MinValue;
    }

    /// <summary>With restartPolicy OnFailure: whether the containers' restarts reached the back-off limit (upstream's pastBackoffLimitOnFailure).</summary>
    public static bool PastBackoffLimitOnFailure(V1Job job, IEnumerable<V1Pod> pods)
    {
        if (job.Spec.Template.Spec.RestartPolicy != "OnFailure")
        {
            return false;
        }

        var restarts = pods
            .Where(p => p.Status?.Phase is "Running" or "Pending")
            .Sum(p => (p.Status?.InitContainerStatuses ?? []).Concat(p.Status?.ContainerStatuses ?? []).Sum(s => s.RestartCount));
        var limit = job.Spec.BackoffLimit ?? 6;
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    /// <summary>
    /// Upstream's ActivePods order, which a job deletes from the front: unscheduled, then pending before unknown
    /// before running, not ready, ready more recently, restarted more, newer.
    /// </summary>
    public static int CompareForRemoval(V1Pod a, V1Pod b)
    {
        var unscheduled = string.IsNullOrEmpty(b.Spec?.NodeName).CompareTo(string.IsNullOrEmpty(a.Spec?.NodeName));
        if (unscheduled != 0)
        {
            return unscheduled;
        }

        var phase = PhaseRank(a).CompareTo(PhaseRank(b));
        if (phase != 0)
        {
            return phase;
        }

        var (readyA, readyB) = (Pods.IsReady(a), Pods.IsReady(b));
        if (readyA != readyB)
        {
            return readyA ? 1 : -1;
        }

        if (readyA && ReadySince(a) != ReadySince(b))
        {
            // The more recently ready first; no time counts as later.
            return (ReadySince(b) ?? DateTimeOffset.MaxValue).CompareTo(ReadySince(a) ?? DateTimeOffset.MaxValue);
        }

        var restarts = MaxRestarts(b).CompareTo(MaxRestarts(a));
        if (restarts != 0)
        {
            return restarts;
        }

        var (createdA, createdB) = (Created(a), Created(b));
        return createdB.CompareTo(createdA);
    }

    private static int PhaseRank(V1Pod pod) => pod.Status?.Phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    private static DateTimeOffset? ReadySince(V1Pod pod) => Pods.ReadyCondition(pod)?.LastTransitionTime is { } t ? Utc(t) : null;

    private static int MaxRestarts(V1Pod pod) => (pod.Status?.ContainerStatuses ?? []).Select(s => s.RestartCount).DefaultIfEmpty(0).Max();

    private static DateTimeOffset Created(V1Pod pod) => pod.Metadata.CreationTimestamp is { } t ? Utc(t) : DateTimeOffset.MinValue;

    private static bool IsSidecar(V1Pod pod, string name) =>
        pod.Spec?.InitContainers?.FirstOrDefault(c => c.Name == name)?.RestartPolicy == "Always";

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
