using System.Globalization;
using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>
/// <c>backoffLimitPerIndex</c> (upstream's indexed_job_utils): each index of an Indexed job retries on its own, with
/// its own back-off; its pods carry how often the index failed (<c>batch.kubernetes.io/job-index-failure-count</c>,
/// and failures a policy ignored in <c>job-index-ignored-failure-count</c>); an index that fails more often, or by a
/// FailIndex rule, is failed for good (<c>status.failedIndexes</c>); past <c>maxFailedIndexes</c>, or once every
/// index is done with some failed, the job fails. The last failed pod of an index keeps its finalizer until its
/// replacement exists, as it holds the count.
/// </summary>
public sealed partial class JobController
{
    public const string IndexFailureCountAnnotation = "batch.kubernetes.io/job-index-failure-count";
    public const string IndexIgnoredFailureCountAnnotation = "batch.kubernetes.io/job-index-ignored-failure-count";

    private static bool HasBackoffLimitPerIndex(V1Job job) =>
        job.Spec.BackoffLimitPerIndex is not null && job.Spec.CompletionMode == JobNames.Indexed;

    /// <summary>The failed indexes: those the status has, and those whose newest pod failed past the limit or by a FailIndex rule.</summary>
    private static IndexSet FailedIndexes(SyncContext ctx)
    {
        var job = ctx.Job;
        var previous = IndexSet.Parse(job.Status.FailedIndexes, job.Spec.Completions ?? 0);
        var failed = ctx.Pods
            .Where(p => JobPods.HasFinalizer(p) && !ctx.Removing.Contains(p.Metadata.Uid) && JobPods.HasValidIndex(p, job) && IsIndexFailed(job, p))
            .Select(p => JobPods.Index(p)!.Value);
        return previous.With(failed);
    }

    private static bool IsIndexFailed(V1Job job, V1Pod pod)
    {
        if (!JobPods.IsFailed(pod, job))
        {
            return false;
        }

        var verdict = PodFailurePolicies.Match(job, pod);
        if (verdict.Action == "FailIndex")
        {
            return true;
        }

        return verdict.CountFailed && Count(pod, IndexFailureCountAnnotation) >= job.Spec.BackoffLimitPerIndex;
    }

    /// <summary>Per index still to run, the last pod that failed for it (upstream's getPodsWithDelayedDeletionPerIndex).</summary>
    private static Dictionary<int, V1Pod> LastFailedPerIndex(SyncContext ctx, IEnumerable<V1Pod> active)
    {
        var job = ctx.Job;
        var activeIndexes = active.Select(JobPods.Index).Where(i => i is not null).Select(i => i!.Value).ToHashSet();
        var last = new Dictionary<int, V1Pod>();
        foreach (var pod in ctx.Pods)
        {
            if (!JobPods.HasFinalizer(pod) || ctx.Removing.Contains(pod.Metadata.Uid) || !JobPods.IsFailed(pod, job) || !JobPods.HasValidIndex(pod, job))
            {
                continue;
            }

            var index = JobPods.Index(pod)!.Value;
            if (ctx.SucceededIndexes.Contains(index) || ctx.FailedIndexes.Contains(index) || activeIndexes.Contains(index))
            {
                continue;
            }

            if (!last.TryGetValue(index, out var before) ||
                (AbsoluteFailures(before) <= AbsoluteFailures(pod) && JobPods.FinishTime(pod) >= JobPods.FinishTime(before)))
            {
                last[index] = pod;
            }
        }

        return last;
    }

    /// <summary>Of the indexes to start, those whose back-off is over; the soonest wait of the rest.</summary>
    private static (List<int> Ready, TimeSpan? Wait) IndexesReadyNow(SyncContext ctx, List<int> indexes)
    {
        var ready = new List<int>();
        TimeSpan? wait = null;
        foreach (var index in indexes)
        {
            var left = ctx.LastFailedPerIndex.TryGetValue(index, out var failed)
                ? new BackoffRecord(AbsoluteFailures(failed) + 1, JobPods.FinishTime(failed)).Remaining(ctx.Now)
                : TimeSpan.Zero;
            if (left <= TimeSpan.Zero)
            {
                ready.Add(index);
            }
            else
            {
                wait = wait is null || left < wait ? left : wait;
            }
        }

        return (ready, wait);
    }

    /// <summary>A replacement carries the index's counts: one more failure, or one more ignored one (upstream's addIndexFailureCountAnnotation).</summary>
    private static void AddFailureCounts(V1Job job, V1Pod pod, V1Pod? replaced)
    {
        int failures = 0, ignored = 0;
        if (replaced is not null)
        {
            failures = Count(replaced, IndexFailureCountAnnotation);
            ignored = Count(replaced, IndexIgnoredFailureCountAnnotation);
            if (PodFailurePolicies.Match(job, replaced).CountFailed)
            {
                failures++;
            }
            else
            {
                ignored++;
            }
        }

        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[IndexFailureCountAnnotation] = failures.ToString(CultureInfo.InvariantCulture);
        if (ignored > 0)
        {
            pod.Metadata.Annotations[IndexIgnoredFailureCountAnnotation] = ignored.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static int AbsoluteFailures(V1Pod pod) => Count(pod, IndexFailureCountAnnotation) + Count(pod, IndexIgnoredFailureCountAnnotation);

    /// <summary>An annotation's count; missing, invalid or negative is 0.</summary>
    private static int Count(V1Pod pod, string annotation) =>
        pod.Metadata.Annotations?.TryGetValue(annotation, out var text) == true && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
