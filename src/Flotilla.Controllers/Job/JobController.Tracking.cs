using System.Collections.Concurrent;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>
/// Counting finished pods without losing one (upstream's trackJobStatusAndRemoveFinalizers): a finished pod's UID is
/// first written to <c>status.uncountedTerminatedPods</c>, then its finalizer goes, then it moves into
/// <c>succeeded</c>/<c>failed</c> — a restart between two steps finds the pod or its UID and counts it once.
/// </summary>
public sealed partial class JobController
{
    public const string RemoveFinalizerPatch = "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"" + JobNames.TrackingFinalizer + "\"]}}";

    private async Task TrackAsync(SyncContext ctx, bool needsFlush, CancellationToken cancellationToken)
    {
        var job = ctx.Job;
        var status = job.Status;
        var uncounted = status.UncountedTerminatedPods;
        var withFinalizer = ctx.Pods.Where(p => JobPods.HasFinalizer(p) && !ctx.Removing.Contains(p.Metadata.Uid)).Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        needsFlush |= MoveCounted(status, withFinalizer);

        var toRemove = new List<V1Pod>();
        var newSucceededIndexes = new List<int>();
        var reachedMax = false;
        var pods = ctx.Indexed ? ctx.Pods.OrderBy(p => JobPods.Index(p) ?? int.MaxValue).ToList() : ctx.Pods;
        foreach (var pod in pods)
        {
            var uid = pod.Metadata.Uid;
            if (!JobPods.HasFinalizer(pod) || ctx.Removing.Contains(uid) || !CanRemoveFinalizer(ctx, pod))
            {
                continue;
            }

            toRemove.Add(pod);
            if (pod.Status?.Phase == "Succeeded" && !uncounted.Failed.Contains(uid))
            {
                if (ctx.Indexed)
                {
                    if (JobPods.HasValidIndex(pod, job) && !ctx.PreviousSucceededIndexes.Contains(JobPods.Index(pod)!.Value))
                    {
                        newSucceededIndexes.Add(JobPods.Index(pod)!.Value);
                    }
                }
                else if (!uncounted.Succeeded.Contains(uid))
                {
                    uncounted.Succeeded.Add(uid);
                    needsFlush = true;
                }
            }
            else if (JobPods.IsFailed(pod, job) || (ctx.Finished is not null && ctx.Finished.Type != JobNames.SuccessCriteriaMet))
            {
                if (!uncounted.Failed.Contains(uid) && (!ctx.Indexed || JobPods.HasValidIndex(pod, job)) && PodFailurePolicies.Match(job, pod).CountFailed)
                {
                    uncounted.Failed.Add(uid);
                    needsFlush = true;
                }
            }

            if (newSucceededIndexes.Count + uncounted.Succeeded.Count + uncounted.Failed.Count >= MaxUncountedPods)
            {
                reachedMax = true;  // the rest next pass: the status stays small and big jobs do not starve the others
                break;
            }
        }

        if (ctx.Indexed)
        {
            ctx.SucceededIndexes = ctx.SucceededIndexes.With(newSucceededIndexes);
            var completed = ctx.SucceededIndexes.ToString();
            needsFlush |= completed != (status.CompletedIndexes ?? string.Empty);
            status.Succeeded = ctx.SucceededIndexes.Count;
            status.CompletedIndexes = completed;
            if (HasBackoffLimitPerIndex(job))
            {
                var failedIndexes = ctx.FailedIndexes.ToString();
                needsFlush |= failedIndexes != job.Status.FailedIndexes;
                status.FailedIndexes = failedIndexes;
            }
        }

        // The interim condition is written now; the final one once every pod is gone and counted.
        if (ctx.Finished is { Type: JobNames.FailureTarget } target)
        {
            needsFlush |= JobConditions.Ensure(status, target.Type, "True", target.Reason, target.Message, ctx.Now);
            ctx.Finished = JobConditions.New(JobNames.Failed, target.Reason, target.Message, ctx.Now);
        }
        else if (ctx.Finished is { Type: JobNames.SuccessCriteriaMet } met)
        {
            needsFlush |= JobConditions.Ensure(status, met.Type, "True", met.Reason, met.Message, ctx.Now);
            ctx.Finished = JobConditions.New(JobNames.Complete, met.Reason, met.Message, ctx.Now);
        }

        await FlushAndRemoveFinalizersAsync(ctx, toRemove, withFinalizer, needsFlush, cancellationToken);
        var finished = !reachedMax && EnactFinished(ctx);
        if (finished)
        {
            ctx.Job = await WriteStatusAsync(ctx.Job, cancellationToken);
            if (finished)
            {
                RecordFinished(ctx.Job, ctx.Finished!);
            }
        }
    }

    /// <summary>PUT jobs/status; empty UID lists go as none (Go's omitempty), and come back as empty lists to work on.</summary>
    private async Task<V1Job> WriteStatusAsync(V1Job job, CancellationToken cancellationToken)
    {
        var sent = Api.Serialization.DeepCopy.Of(job);
        var uncounted = sent.Status.UncountedTerminatedPods;
        if (uncounted is not null)
        {
            uncounted.Succeeded = uncounted.Succeeded is { Count: > 0 } ? uncounted.Succeeded : null;
            uncounted.Failed = uncounted.Failed is { Count: > 0 } ? uncounted.Failed : null;
        }

        var written = await _client.UpdateStatusAsync(sent, cancellationToken);
        var back = written.Status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        back.Succeeded ??= [];
        back.Failed ??= [];
        return written;
    }

    /// <summary>A pod whose finalizer may go: the job is going or done, or the pod finished (upstream's canRemoveFinalizer).</summary>
    private static bool CanRemoveFinalizer(SyncContext ctx, V1Pod pod) =>
        ctx.Job.Metadata.DeletionTimestamp is not null || ctx.Finished is not null ||
        pod.Status?.Phase == "Succeeded" ||
        (JobPods.IsFailed(pod, ctx.Job) && !(JobPods.Index(pod) is { } i && ctx.LastFailedPerIndex.GetValueOrDefault(i) == pod));

    /// <summary>Writes what was recorded, then removes the finalizers, then counts the pods whose finalizer went.</summary>
    private async Task FlushAndRemoveFinalizersAsync(SyncContext ctx, List<V1Pod> toRemove, HashSet<string> withFinalizer, bool needsFlush, CancellationToken cancellationToken)
    {
        if (needsFlush)
        {
            ctx.Job = await WriteStatusAsync(ctx.Job, cancellationToken);
            _backoff.Store(ctx.Key, ctx.Backoff);
        }

        string? error = null;
        if (toRemove.Count > 0)
        {
            var expected = _finalizerRemovals.GetOrAdd(ctx.Key, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
            foreach (var pod in toRemove)
            {
                expected[pod.Metadata.Uid] = 0;
            }

            var results = await Task.WhenAll(toRemove.Select(async pod =>
            {
                try
                {
                    await _podControl.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, RemoveFinalizerPatch, cancellationToken);
                    return null;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (ApiErrors.IsNotFound(e))
                    {
                        return null;
                    }

                    expected.TryRemove(pod.Metadata.Uid, out _);
                    return ApiErrors.Describe(e);
                }
            }));
            for (var i = 0; i < toRemove.Count; i++)
            {
                if (results[i] is null)
                {
                    withFinalizer.Remove(toRemove[i].Metadata.Uid);
                }
            }

            error = results.FirstOrDefault(r => r is not null);
        }

        if (MoveCounted(ctx.Job.Status, withFinalizer))
        {
            ctx.Job = await WriteStatusAsync(ctx.Job, cancellationToken);
        }

        if (error is not null)
        {
            throw new InvalidOperationException($"removing pod finalizers: {error}");
        }
    }

    /// <summary>Moves the recorded UIDs whose pods lost their finalizer into the counts (upstream's cleanUncountedPodsWithoutFinalizers).</summary>
    private static bool MoveCounted(V1JobStatus status, HashSet<string> withFinalizer)
    {
        var uncounted = status.UncountedTerminatedPods;
        var succeeded = uncounted.Succeeded.Where(u => !withFinalizer.Contains(u)).ToList();
        var failed = uncounted.Failed.Where(u => !withFinalizer.Contains(u)).ToList();
        if (succeeded.Count == 0 && failed.Count == 0)
        {
            return false;
        }

        status.Succeeded = (status.Succeeded ?? 0) + succeeded.Count;
        status.Failed = (status.Failed ?? 0) + failed.Count;
        uncounted.Succeeded = [.. uncounted.Succeeded.Where(withFinalizer.Contains)];
        uncounted.Failed = [.. uncounted.Failed.Where(withFinalizer.Contains)];
        return true;
    }

    /// <summary>The final condition, once nothing is uncounted or terminating (upstream's enactJobFinished).</summary>
    private static bool EnactFinished(SyncContext ctx)
    {
        var status = ctx.Job.Status;
        if (ctx.Finished is not { } finished ||
            status.UncountedTerminatedPods is { } u && (u.Succeeded?.Count ?? 0) + (u.Failed?.Count ?? 0) > 0 ||
            status.Terminating > 0)
        {
            return false;
        }

        JobConditions.Ensure(status, finished.Type, "True", finished.Reason, finished.Message, ctx.Now);
        if (finished.Type == JobNames.Complete)
        {
            status.CompletionTime = JobConditions.Find(ctx.Job, JobNames.Complete)!.LastTransitionTime;
        }

        return true;
    }

    private void RecordFinished(V1Job job, V1JobCondition finished)
    {
        if (finished.Type == JobNames.Complete)
        {
            if (job.Spec.Completions is { } completions && job.Status.Succeeded > completions)
            {
                _events.Event(job, EventTypes.Warning, "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
            }

            _events.Event(job, EventTypes.Normal, "Completed", "Job completed");
            return;
        }

        _events.Event(job, EventTypes.Warning, finished.Reason, finished.Message);
    }
}
