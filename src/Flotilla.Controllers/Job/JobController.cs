using System.Collections.Concurrent;
using Flotilla.Api.Selectors;
using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Job;

/// <summary>
/// kube-controller-manager's Job controller (v1.32): runs a job's pods until <c>completions</c> succeed
/// (NonIndexed, or one per index when Indexed), at most <c>parallelism</c> at once, re-creating failed ones after an
/// exponential back-off until <c>backoffLimit</c>, <c>activeDeadlineSeconds</c> or a <c>podFailurePolicy</c> rule
/// fails the job, or an Indexed job's <c>successPolicy</c> declares it succeeded early (the other pods are stopped);
/// <c>suspend</c> stops its pods. Every pod carries the <c>batch.kubernetes.io/job-tracking</c>
/// finalizer until it is counted (recorded first in <c>status.uncountedTerminatedPods</c>), so no result is lost if
/// the controller restarts. The interim <c>FailureTarget</c>/<c>SuccessCriteriaMet</c> conditions come first;
/// <c>Failed</c>/<c>Complete</c> once no pod is left running or uncounted.
/// </summary>
public sealed partial class JobController
{
    public const string Name = "job-controller";
    public const int MaxUncountedPods = 500;
    public const int MaxPodCreateDeletePerSync = 500;

    /// <summary>Pod changes are gathered this long before a job syncs (upstream's syncJobBatchPeriod).</summary>
    public static readonly TimeSpan SyncBatchPeriod = TimeSpan.FromSeconds(1);

    private readonly Lister<V1Job> _jobs;
    private readonly Lister<V1Pod> _pods;
    private readonly IPodControl _podControl;
    private readonly IJobClient _client;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly BackoffRecords _backoff = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _finalizerRemovals = new(StringComparer.Ordinal);

    public JobController(Lister<V1Job> jobs, Lister<V1Pod> pods, IPodControl podControl, IJobClient client, IEventRecorder events, TimeProvider time, ILogger log)
    {
        _jobs = jobs;
        _pods = pods;
        _podControl = podControl;
        _client = client;
        _events = events;
        _time = time;
        _log = log;
        Expectations = new Expectations(time);
        Queue = new WorkQueue<string>(Name, time);
        Orphans = new WorkQueue<string>("orphan-pod", time);
    }

    public WorkQueue<string> Queue { get; }

    /// <summary>Pods whose tracking finalizer may have to go: their job is finished or gone.</summary>
    public WorkQueue<string> Orphans { get; }

    public Expectations Expectations { get; }

    public static async Task RunAsync(SharedInformerFactory informers, IPodControl podControl, IJobClient client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var jobs = informers.Informer<V1Job>();
        var pods = informers.Informer<V1Pod>();
        var controller = new JobController(jobs.Lister, pods.Lister, podControl, client, events, time, log);
        using var queue = controller.Queue;
        using var orphans = controller.Orphans;
        jobs.AddEventHandler(new ResourceEventHandler<V1Job>
        {
            OnAdd = (job, _) => controller.JobAdded(job),
            OnUpdate = controller.JobUpdated,
            OnDelete = controller.JobDeleted,
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => controller.PodAdded(pod),
            OnUpdate = controller.PodUpdated,
            OnDelete = controller.PodDeleted,
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await Task.WhenAll(
            new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken),
            new ControllerLoop("orphan-pod", orphans, controller.SyncOrphanPodAsync, log).RunAsync(1, cancellationToken));
    }

    /// <summary>One pass over one job (upstream syncJob); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var cached = _jobs.Get(ns, name);
        if (cached is null)
        {
            Expectations.Delete(key);
            _finalizerRemovals.TryRemove(key, out _);
            _backoff.Remove(key);
            return;
        }

        if (cached.Spec.ManagedBy is { } managedBy && managedBy != JobNames.ManagedBy)
        {
            return;  // another controller's job
        }

        if (JobConditions.IsFinished(cached))
        {
            _backoff.Remove(key);
            return;
        }

        var mode = cached.Spec.CompletionMode ?? JobNames.NonIndexed;
        if (mode is not (JobNames.NonIndexed or JobNames.Indexed))
        {
            _events.Event(cached, EventTypes.Warning, "UnknownCompletionMode", "Skipped Job sync because completion mode is unknown");
            return;
        }

        var job = DeepCopy.Of(cached);
        job.Status ??= new V1JobStatus();
        var uncounted = job.Status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        uncounted.Succeeded ??= [];
        uncounted.Failed ??= [];
        var satisfied = Expectations.Satisfied(key);
        var pods = await PodsForJobAsync(job, cancellationToken);
        var removing = FinalizerRemovals(key);
        var ctx = new SyncContext(key, job, pods, removing, mode == JobNames.Indexed, _time.GetUtcNow());

        var active = pods.Where(Pods.IsActive).ToList();
        var activeCount = active.Count;
        var ready = active.Count(Pods.IsReady);
        ctx.Terminating = pods.Count(JobPods.IsTerminating);
        var newSucceeded = pods.Where(p => ctx.Countable(p) && !uncounted.Succeeded.Contains(p.Metadata.Uid) && p.Status?.Phase == "Succeeded").ToList();
        var newFailed = pods.Where(p => ctx.Countable(p) && !uncounted.Failed.Contains(p.Metadata.Uid) && JobPods.IsFailed(p, job)).ToList();
        var succeeded = (job.Status.Succeeded ?? 0) + newSucceeded.Count + uncounted.Succeeded.Count;
        var failed = (job.Status.Failed ?? 0) + newFailed.Count(p => PodFailurePolicies.Match(job, p).CountFailed) + uncounted.Failed.Count;
        var suspended = job.Spec.Suspend == true;
        var needsStatusUpdate = false;
        if (job.Status.StartTime is null && !suspended)
        {
            job.Status.StartTime = Api.Timestamps.Of(ctx.Now);
            needsStatusUpdate = true;
        }

        ctx.Backoff = _backoff.Next(key, newSucceeded, newFailed);
        ctx.Finished = FinishedCondition(ctx, failed);
        if (ctx.Indexed)
        {
            ctx.PreviousSucceededIndexes = IndexSet.Parse(job.Status.CompletedIndexes, job.Spec.Completions ?? 0);
            ctx.SucceededIndexes = ctx.PreviousSucceededIndexes.With(pods
                .Where(p => p.Status?.Phase == "Succeeded" && JobPods.HasFinalizer(p) && JobPods.HasValidIndex(p, job))
                .Select(p => JobPods.Index(p)!.Value));
            succeeded = ctx.SucceededIndexes.Count;
            if (HasBackoffLimitPerIndex(job))
            {
                ctx.FailedIndexes = FailedIndexes(ctx);
                var failedIndexes = ctx.FailedIndexes.Count;
                if (ctx.Finished is null && job.Spec.MaxFailedIndexes is { } maxFailed && failedIndexes > maxFailed)
                {
                    ctx.Finished = JobConditions.New(JobNames.FailureTarget, JobNames.MaxFailedIndexesExceeded, JobNames.MaxFailedIndexesExceededMessage, ctx.Now);
                }
                else if (ctx.Finished is null && failedIndexes > 0 && failedIndexes + ctx.SucceededIndexes.Count >= (job.Spec.Completions ?? 0))
                {
                    ctx.Finished = JobConditions.New(JobNames.FailureTarget, JobNames.FailedIndexes, JobNames.FailedIndexesMessage, ctx.Now);
                }

                ctx.LastFailedPerIndex = LastFailedPerIndex(ctx, active);
            }

            if (ctx.Finished is null && SuccessPolicies.Match(job.Spec.SuccessPolicy, job.Spec.Completions ?? 0, ctx.SucceededIndexes) is { } matched)
            {
                ctx.Finished = JobConditions.New(JobNames.SuccessCriteriaMet, SuccessPolicies.Reason, matched, ctx.Now);
            }
        }

        string? manageError = null;
        if (ctx.Finished is not null)
        {
            // Done, one way or the other: what still runs is stopped, and counted as failed once gone.
            var (deleted, deletedReady, error) = await DeleteActivePodsAsync(job, active, cancellationToken);
            if (deleted != activeCount || !satisfied)
            {
                ctx.Finished = null;  // the next pass finishes it, once the deletions show
            }

            manageError = error;
            activeCount -= deleted;
            ctx.Terminating += deleted;
            ready -= deletedReady;
        }
        else
        {
            var managed = false;
            if (satisfied && job.Metadata.DeletionTimestamp is null)
            {
                (activeCount, manageError) = await ManageAsync(ctx, active, succeeded, cancellationToken);
                managed = true;
            }

            var completions = job.Spec.Completions;
            var complete = completions is null ? succeeded > 0 && activeCount == 0 : succeeded >= completions && activeCount == 0;
            if (complete)
            {
                ctx.Finished = JobConditions.New(JobNames.SuccessCriteriaMet, JobNames.CompletionsReached, JobNames.CompletionsReachedMessage, ctx.Now);
            }
            else if (managed)
            {
                needsStatusUpdate |= UpdateSuspension(ctx, suspended);
            }
        }

        needsStatusUpdate |= activeCount != (job.Status.Active ?? 0) || ready != job.Status.Ready || ctx.Terminating != job.Status.Terminating;
        job.Status.Active = activeCount;
        job.Status.Ready = ready;
        job.Status.Terminating = ctx.Terminating;
        await TrackAsync(ctx, needsStatusUpdate, cancellationToken);
        if (manageError is not null)
        {
            throw new InvalidOperationException(manageError);
        }
    }

    /// <summary>Why the job is done, if it is (upstream's order: earlier verdicts stand, then the pod failure policy, the back-off limit, the deadline).</summary>
    private V1JobCondition? FinishedCondition(SyncContext ctx, int failed)
    {
        var job = ctx.Job;
        if (JobConditions.Find(job, JobNames.SuccessCriteriaMet) is { Status: "True" } met)
        {
            return met;
        }

        if (JobConditions.Find(job, JobNames.FailureTarget) is { Status: "True" } target)
        {
            return JobConditions.New(JobNames.Failed, target.Reason, target.Message, ctx.Now);
        }

        if (job.Spec.PodFailurePolicy is not null &&
            ctx.Pods.Where(p => JobPods.IsFailed(p, job)).Select(p => PodFailurePolicies.Match(job, p).FailJobMessage).FirstOrDefault(m => m is not null) is { } failJob)
        {
            return JobConditions.New(JobNames.FailureTarget, JobNames.PodFailurePolicy, failJob, ctx.Now);
        }

        if (failed > (job.Spec.BackoffLimit ?? 6) || JobPods.PastBackoffLimitOnFailure(job, ctx.Pods))
        {
            return JobConditions.New(JobNames.FailureTarget, JobNames.BackoffLimitExceeded, JobNames.BackoffLimitExceededMessage, ctx.Now);
        }

        if (job.Spec.ActiveDeadlineSeconds is { } deadline && job.Spec.Suspend != true && job.Status.StartTime is { } started)
        {
            var left = Utc(started).AddSeconds(deadline) - ctx.Now;
            if (left <= TimeSpan.Zero)
            {
                return JobConditions.New(JobNames.FailureTarget, JobNames.DeadlineExceeded, JobNames.DeadlineExceededMessage, ctx.Now);
            }

            Queue.AddAfter(ctx.Key, left);
        }

        return null;
    }

    /// <summary>Suspended or resumed: the condition, its event, and a new start time on resuming.</summary>
    private bool UpdateSuspension(SyncContext ctx, bool suspended)
    {
        var job = ctx.Job;
        if (suspended)
        {
            if (!JobConditions.Ensure(job.Status, JobNames.Suspended, "True", "JobSuspended", "Job suspended", ctx.Now))
            {
                return false;
            }

            _events.Event(job, EventTypes.Normal, "Suspended", "Job suspended");
            return true;
        }

        if (!JobConditions.Ensure(job.Status, JobNames.Suspended, "False", "JobResumed", "Job resumed", ctx.Now))
        {
            return false;
        }

        _events.Event(job, EventTypes.Normal, "Resumed", "Job resumed");
        job.Status.StartTime = Api.Timestamps.Of(ctx.Now);
        return true;
    }

    /// <summary>The pods the job controls, after adopting matching orphans (with the tracking finalizer) and releasing strays.</summary>
    private async Task<List<V1Pod>> PodsForJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        var selector = LabelSelector.FromModel(job.Spec.Selector);
        var candidates = _pods.List(job.Metadata.NamespaceProperty);
        return await new ControllerRefManager<V1Pod>(
            job,
            "batch/v1",
            "Job",
            selector,
            _ => ControllerRefManager<V1Pod>.FreshOwnerCheckAsync(job, "Job", async () => await _client.GetAsync(job.Metadata.NamespaceProperty, job.Metadata.Name, cancellationToken)),
            (pod, patch, token) => _podControl.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, WithFinalizerOnAdoption(patch), token)).ClaimAsync(candidates, cancellationToken);
    }

    /// <summary>An adopted pod gets the tracking finalizer with its owner reference (upstream's adoption patch).</summary>
    private static string WithFinalizerOnAdoption(string patch)
    {
        if (patch.Contains("\"$patch\"", StringComparison.Ordinal))
        {
            return patch;  // a release
        }

        var node = System.Text.Json.Nodes.JsonNode.Parse(patch)!;
        node["metadata"]!["finalizers"] = new System.Text.Json.Nodes.JsonArray(JobNames.TrackingFinalizer);
        return node.ToJsonString();
    }

    private HashSet<string> FinalizerRemovals(string key) =>
        _finalizerRemovals.TryGetValue(key, out var uids) ? [.. uids.Keys] : [];

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));


    /// <summary>What one sync knows and decides about a job.</summary>
    private sealed class SyncContext(string key, V1Job job, List<V1Pod> pods, HashSet<string> removing, bool indexed, DateTimeOffset now)
    {
        public string Key { get; } = key;

        public V1Job Job { get; set; } = job;

        public List<V1Pod> Pods { get; } = pods;

        /// <summary>Pods whose finalizer removal this controller made and the cache does not show yet.</summary>
        public HashSet<string> Removing { get; } = removing;

        public bool Indexed { get; } = indexed;

        public DateTimeOffset Now { get; } = now;

        public int Terminating { get; set; }

        public BackoffRecord Backoff { get; set; } = BackoffRecord.None;

        public V1JobCondition? Finished { get; set; }

        public IndexSet PreviousSucceededIndexes { get; set; } = IndexSet.Empty();

        public IndexSet SucceededIndexes { get; set; } = IndexSet.Empty();

        /// <summary>With backoffLimitPerIndex: the indexes failed for good.</summary>
        public IndexSet FailedIndexes { get; set; } = IndexSet.Empty();

        /// <summary>With backoffLimitPerIndex: per index to run again, its last failed pod (kept, with its finalizer, until replaced).</summary>
        public Dictionary<int, V1Pod> LastFailedPerIndex { get; set; } = [];

        /// <summary>A pod whose result this controller still has to count.</summary>
        public bool Countable(V1Pod pod) =>
            JobPods.HasFinalizer(pod) && !Removing.Contains(pod.Metadata.Uid) && (!Indexed || JobPods.HasValidIndex(pod, Job));
    }
}
