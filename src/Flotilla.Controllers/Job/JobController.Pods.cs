using System.Globalization;
using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Job;

/// <summary>Creating and deleting a job's pods (upstream's manageJob).</summary>
public sealed partial class JobController
{
    private const int MaxGeneratedNamePrefix = 58;

    /// <summary>Deletes surplus pods or creates missing ones (never both in one pass); returns the active count after.</summary>
    private async Task<(int Active, string? Error)> ManageAsync(SyncContext ctx, List<V1Pod> active, int succeeded, CancellationToken cancellationToken)
    {
        var job = ctx.Job;
        var activeCount = active.Count;
        if (job.Spec.Suspend == true)
        {
            var all = PodsForRemoval(ctx, active, activeCount);
            var (deleted, error) = await DeleteJobPodsAsync(ctx.Key, job, all, cancellationToken);
            return (activeCount - deleted, error);
        }

        var parallelism = job.Spec.Parallelism ?? 1;
        var wantActive = job.Spec.Completions is { } completions
            ? Math.Clamp(completions - succeeded, 0, parallelism)
            : succeeded > 0 ? activeCount : parallelism;
        var surplus = PodsForRemoval(ctx, active, Math.Max(activeCount - wantActive, 0)).Take(MaxPodCreateDeletePerSync).ToList();
        if (surplus.Count > 0)
        {
            LogDeleting(_log, ctx.Key, wantActive, activeCount, surplus.Count);
            var (deleted, error) = await DeleteJobPodsAsync(ctx.Key, job, surplus, cancellationToken);
            return (activeCount - deleted, error);
        }

        var terminating = JobPods.OnlyReplaceFailedPods(job) ? ctx.Terminating : 0;
        var diff = wantActive - terminating - activeCount;
        if (diff <= 0)
        {
            return (activeCount, null);
        }

        var perIndex = HasBackoffLimitPerIndex(job);
        var wait = perIndex ? TimeSpan.Zero : ctx.Backoff.Remaining(ctx.Now);
        if (wait > TimeSpan.Zero)
        {
            Queue.AddAfter(ctx.Key, wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
            return (activeCount, null);
        }

        diff = Math.Min(diff, MaxPodCreateDeletePerSync);
        var indexes = ctx.Indexed ? PendingIndexes(ctx, active, diff) : null;
        if (indexes is not null && perIndex)
        {
            (indexes, var indexWait) = IndexesReadyNow(ctx, indexes);
            if (indexes.Count == 0 && indexWait is { } soonest)
            {
                Queue.AddAfter(ctx.Key, soonest < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : soonest);
                return (activeCount, null);
            }
        }

        if (indexes is not null)
        {
            diff = indexes.Count;
        }

        if (diff == 0)
        {
            return (activeCount, null);
        }

        LogCreating(_log, ctx.Key, wantActive, activeCount, diff);
        Expectations.ExpectCreations(ctx.Key, diff);
        var template = ctx.Indexed ? WithIndexEnv(job.Spec.Template) : job.Spec.Template;
        var controllerRef = OwnerReferences.ControllerRef(job, "batch/v1", "Job");
        var next = 0;
        var (created, createError) = await SlowStart.CreateAsync(diff, () =>
        {
            var index = indexes?[Interlocked.Increment(ref next) - 1];
            var pod = NewPod(job, template, controllerRef, index);
            if (perIndex && index is { } i)
            {
                AddFailureCounts(job, pod, ctx.LastFailedPerIndex.GetValueOrDefault(i));
            }

            return _podControl.CreatePodAsync(job.Metadata.NamespaceProperty, pod, job, cancellationToken);
        });
        for (var skipped = diff - created; skipped > 0; skipped--)
        {
            Expectations.CreationObserved(ctx.Key);  // never made, so never observed
        }

        return (activeCount + created, createError);
    }

    /// <summary>Upstream GetPodFromTemplate plus the job's: the tracking finalizer, and for an index its annotation, label, hostname and name.</summary>
    internal static V1Pod NewPod(V1Job job, V1PodTemplateSpec template, V1OwnerReference controllerRef, int? index)
    {
        var pod = PodControl.FromTemplate(template, job.Metadata.Name, controllerRef);
        pod.Metadata.Finalizers ??= [];
        if (!pod.Metadata.Finalizers.Contains(JobNames.TrackingFinalizer))
        {
            pod.Metadata.Finalizers.Add(JobNames.TrackingFinalizer);
        }

        if (index is { } i)
        {
            var text = i.ToString(CultureInfo.InvariantCulture);
            pod.Metadata.Annotations ??= new Dictionary<string, string>();
            pod.Metadata.Annotations[JobNames.CompletionIndex] = text;
            pod.Metadata.Labels ??= new Dictionary<string, string>();
            pod.Metadata.Labels[JobNames.CompletionIndex] = text;
            pod.Spec.Hostname = $"{job.Metadata.Name}-{text}";
            var suffix = $"-{text}-";
            var prefix = job.Metadata.Name + suffix;
            pod.Metadata.GenerateName = prefix.Length > MaxGeneratedNamePrefix ? job.Metadata.Name[..(MaxGeneratedNamePrefix - suffix.Length)] + suffix : prefix;
        }

        return pod;
    }

    /// <summary>Every container learns its index from <c>JOB_COMPLETION_INDEX</c> (the downward API on the index label), unless it sets it.</summary>
    private static V1PodTemplateSpec WithIndexEnv(V1PodTemplateSpec template)
    {
        var copy = DeepCopy.Of(template);
        foreach (var container in (copy.Spec.InitContainers ?? []).Concat(copy.Spec.Containers ?? []))
        {
            container.Env ??= [];
            if (container.Env.Any(e => e.Name == JobNames.CompletionIndexEnv))
            {
                continue;
            }

            container.Env.Add(new V1EnvVar
            {
                Name = JobNames.CompletionIndexEnv,
                ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = $"metadata.labels['{JobNames.CompletionIndex}']" } },
            });
        }

        return copy;
    }

    /// <summary>The lowest indexes no pod holds or finished yet (upstream's firstPendingIndexes).</summary>
    private static List<int> PendingIndexes(SyncContext ctx, List<V1Pod> active, int count)
    {
        var taken = new HashSet<int>(ctx.SucceededIndexes.All.Concat(ctx.FailedIndexes.All));
        var holders = JobPods.OnlyReplaceFailedPods(ctx.Job) ? active.Concat(ctx.Pods.Where(JobPods.IsTerminating)) : active;
        foreach (var pod in holders)
        {
            if (JobPods.Index(pod) is { } i)
            {
                taken.Add(i);
            }
        }

        var pending = new List<int>(count);
        for (var i = 0; i < (ctx.Job.Spec.Completions ?? 0) && pending.Count < count; i++)
        {
            if (!taken.Contains(i))
            {
                pending.Add(i);
            }
        }

        return pending;
    }

    /// <summary>
    /// Which active pods go (upstream's activePodsForRemoval): for an Indexed job first those without a valid index
    /// and every duplicate of an index but its most advanced pod; then as many more as needed, first in ActivePods order.
    /// </summary>
    private static List<V1Pod> PodsForRemoval(SyncContext ctx, List<V1Pod> active, int atLeast)
    {
        var remove = new List<V1Pod>();
        var keep = active;
        if (ctx.Indexed)
        {
            keep = [];
            foreach (var group in active.GroupBy(p => JobPods.HasValidIndex(p, ctx.Job) ? JobPods.Index(p) : null))
            {
                if (group.Key is null)
                {
                    remove.AddRange(group);
                    continue;
                }

                var ordered = group.ToList();
                ordered.Sort(JobPods.CompareForRemoval);
                remove.AddRange(ordered.Take(ordered.Count - 1));
                keep.Add(ordered[^1]);
            }
        }

        if (remove.Count < atLeast)
        {
            var rest = keep.ToList();
            rest.Sort(JobPods.CompareForRemoval);
            remove.AddRange(rest.Take(atLeast - remove.Count));
        }

        return remove;
    }

    /// <summary>Removes each pod's finalizer, then deletes it; returns how many went (gone already counts).</summary>
    private async Task<(int Deleted, string? Error)> DeleteJobPodsAsync(string key, V1Job job, List<V1Pod> pods, CancellationToken cancellationToken)
    {
        if (pods.Count == 0)
        {
            return (0, null);
        }

        Expectations.ExpectDeletions(key, pods.Select(ObjectKeys.Of));
        var results = await Task.WhenAll(pods.Select(async pod =>
        {
            try
            {
                if (JobPods.HasFinalizer(pod))
                {
                    await _podControl.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, RemoveFinalizerPatch, cancellationToken);
                }

                await _podControl.DeleteAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, job, cancellationToken);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                return ApiErrors.IsNotFound(e) ? null : ApiErrors.Describe(e);
            }
        }));
        return (results.Count(r => r is null), results.FirstOrDefault(r => r is not null));
    }

    /// <summary>Deletes what still runs of a finished job (its finalizers go when the pods are counted).</summary>
    private async Task<(int Deleted, int DeletedReady, string? Error)> DeleteActivePodsAsync(V1Job job, List<V1Pod> active, CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(active.Select(async pod =>
        {
            try
            {
                await _podControl.DeleteAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, job, cancellationToken);
                return (Deleted: true, Error: (string?)null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return ApiErrors.IsNotFound(e) ? (Deleted: true, Error: null) : (Deleted: false, Error: ApiErrors.Describe(e));
            }
        }));
        var deletedReady = active.Where((p, i) => results[i].Deleted && Pods.IsReady(p)).Count();
        return (results.Count(r => r.Deleted), deletedReady, results.FirstOrDefault(r => r.Error is not null).Error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Key}: too few pods (want {Want}, have {Have}), creating {Count}")]
    private static partial void LogCreating(ILogger log, string key, int want, int have, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Key}: too many pods (want {Want}, have {Have}), deleting {Count}")]
    private static partial void LogDeleting(ILogger log, string key, int want, int have, int count);
}
