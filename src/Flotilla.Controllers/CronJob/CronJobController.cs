using Flotilla.Api.Cron;
using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using Flotilla.Controllers.Job;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.CronJob;

/// <summary>
/// kube-controller-manager's CronJob controller (v2, v1.32): at each time its schedule names (in
/// <c>spec.timeZone</c>, else the controller's zone) a CronJob creates the Job <c>&lt;name&gt;-&lt;minutes since
/// epoch&gt;</c> from its template, unless suspended, too late for <c>startingDeadlineSeconds</c>, or kept back by
/// <c>concurrencyPolicy</c> (Forbid waits, Replace deletes the running one). It tracks its Jobs in
/// <c>status.active</c>, <c>lastScheduleTime</c> and <c>lastSuccessfulTime</c>, keeps the last
/// <c>successfulJobsHistoryLimit</c>/<c>failedJobsHistoryLimit</c> finished ones, and sleeps until the next start.
/// </summary>
public sealed partial class CronJobController
{
    public const string Name = "cronjob-controller";

    private readonly Lister<V1CronJob> _cronJobs;
    private readonly Lister<V1Job> _jobs;
    private readonly ICronJobClient _client;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _localZone;
    private readonly ILogger _log;

    /// <param name="localZone">Where schedules without a time zone are read (upstream: the controller process's zone).</param>
    public CronJobController(Lister<V1CronJob> cronJobs, Lister<V1Job> jobs, ICronJobClient client, IEventRecorder events, TimeProvider time, TimeZoneInfo localZone, ILogger log)
    {
        _cronJobs = cronJobs;
        _jobs = jobs;
        _client = client;
        _events = events;
        _time = time;
        _localZone = localZone;
        _log = log;
        Queue = new WorkQueue<string>("cronjob", time);
    }

    public WorkQueue<string> Queue { get; }

    public static async Task RunAsync(SharedInformerFactory informers, ICronJobClient client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var cronJobs = informers.Informer<V1CronJob>();
        var jobs = informers.Informer<V1Job>();
        var controller = new CronJobController(cronJobs.Lister, jobs.Lister, client, events, time, TimeZoneInfo.Local, log);
        using var queue = controller.Queue;
        cronJobs.AddEventHandler(new ResourceEventHandler<V1CronJob>
        {
            OnAdd = (cj, _) => queue.Add(ObjectKeys.Of(cj)),
            OnUpdate = controller.CronJobUpdated,
            OnDelete = cj => queue.Add(ObjectKeys.Of(cj)),
        });
        jobs.AddEventHandler(new ResourceEventHandler<V1Job>
        {
            OnAdd = (job, _) => controller.EnqueueOwner(job),
            OnUpdate = (old, job) =>
            {
                if (old.Metadata.ResourceVersion == job.Metadata.ResourceVersion)
                {
                    return;
                }

                if (OwnerReferences.ControllerOf(old)?.Uid != OwnerReferences.ControllerOf(job)?.Uid)
                {
                    controller.EnqueueOwner(old);
                }

                controller.EnqueueOwner(job);
            },
            OnDelete = controller.EnqueueOwner,
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>One pass over one CronJob (upstream's sync); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_cronJobs.Get(ns, name) is not { } cached)
        {
            return;
        }

        // Upstream matches its Jobs by the controller reference's name only.
        var jobs = _jobs.List(ns).Where(j => OwnerReferences.ControllerOf(j) is { } owner && owner.Name == name).ToList();
        var cronJob = DeepCopy.Of(cached);
        cronJob.Status ??= new V1CronJobStatus();
        var changed = await CleanupFinishedJobsAsync(cronJob, jobs, cancellationToken);
        var (requeue, synced) = await SyncCronJobAsync(cronJob, jobs, cancellationToken);
        if (changed || synced)
        {
            await _client.UpdateStatusAsync(cronJob, cancellationToken);
        }

        if (requeue is { } after)
        {
            Queue.AddAfter(key, after > TimeSpan.Zero ? after : TimeSpan.Zero);
        }
    }

    private async Task<(TimeSpan? Requeue, bool Changed)> SyncCronJobAsync(V1CronJob cronJob, List<V1Job> jobs, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var changed = await ReconcileActiveAsync(cronJob, jobs, cancellationToken);
        if (cronJob.Metadata.DeletionTimestamp is not null)
        {
            return (null, changed);
        }

        TimeZoneInfo zone = _localZone;
        if (cronJob.Spec.TimeZone is { } timeZone)
        {
            if (TimeZones.Load(timeZone) is not { } loaded)
            {
                _events.Event(cronJob, EventTypes.Warning, "UnknownTimeZone", $"invalid timeZone: {GoQuote.Quote(timeZone)}: {TimeZones.LoadError(timeZone) ?? $"unknown time zone {timeZone}"}");
                return (null, changed);
            }

            zone = loaded;
        }

        if (cronJob.Spec.Suspend == true)
        {
            return (null, changed);
        }

        var spec = cronJob.Spec.Schedule;
        if (spec.Contains("TZ", StringComparison.Ordinal))
        {
            _events.Event(cronJob, EventTypes.Warning, "UnsupportedSchedule", $"CRON_TZ or TZ used in schedule {GoQuote.Quote(spec)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
        }

        if (CronSchedule.TryParse(spec, out var schedule) is { } parseError)
        {
            _events.Event(cronJob, EventTypes.Warning, "UnparseableSchedule", $"unparseable schedule: {GoQuote.Quote(spec)} : {parseError}");
            return (null, changed);
        }

        var (_, scheduled, missed, error) = CronJobSchedule.MostRecent(cronJob, now, schedule!, zone, includeStartingDeadline: true);
        if (error is not null)
        {
            _events.Event(cronJob, EventTypes.Warning, "InvalidSchedule", $"invalid schedule: {spec} : {error}");
            return (null, changed);
        }

        if (scheduled is null || scheduled > now)
        {
            return (CronJobSchedule.UntilNext(cronJob, now, schedule!, zone), changed);
        }

        if (missed == MissedSchedules.Many)
        {
            _events.Event(cronJob, EventTypes.Warning, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }

        var at = scheduled.Value;
        if (cronJob.Spec.StartingDeadlineSeconds is { } deadline && at.AddSeconds(deadline) < now)
        {
            _events.Event(cronJob, EventTypes.Warning, "MissSchedule", $"Missed scheduled time to start a job: {at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", System.Globalization.CultureInfo.InvariantCulture)}");
            return (CronJobSchedule.UntilNext(cronJob, now, schedule!, zone), changed);
        }

        var jobName = CronJobSchedule.JobName(cronJob, at);
        var active = cronJob.Status.Active ?? [];
        if (active.Any(r => r.Name == jobName && r.NamespaceProperty == cronJob.Metadata.NamespaceProperty) ||
            (cronJob.Status.LastScheduleTime is { } last && Utc(last) == at))
        {
            return (CronJobSchedule.UntilNext(cronJob, now, schedule!, zone), changed);
        }

        if (cronJob.Spec.ConcurrencyPolicy == "Forbid" && active.Count > 0)
        {
            _events.Event(cronJob, EventTypes.Normal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return (CronJobSchedule.UntilNext(cronJob, now, schedule!, zone), changed);
        }

        if (cronJob.Spec.ConcurrencyPolicy == "Replace")
        {
            foreach (var reference in active.ToList())
            {
                var running = await _client.GetJobAsync(reference.NamespaceProperty ?? cronJob.Metadata.NamespaceProperty, reference.Name, cancellationToken);
                if (running is null)
                {
                    _events.Event(cronJob, EventTypes.Warning, "FailedGet", $"Get job: jobs.batch \"{reference.Name}\" not found");
                    throw new InvalidOperationException($"jobs.batch \"{reference.Name}\" not found");
                }

                if (!await DeleteJobAsync(cronJob, running, cancellationToken))
                {
                    throw new InvalidOperationException($"could not replace job {running.Metadata.NamespaceProperty}/{running.Metadata.Name}");
                }

                changed = true;
            }

            active = cronJob.Status.Active ?? [];
        }

        var job = NewJob(cronJob, at, cronJob.Spec.TimeZone is null ? TimeZoneInfo.Utc : zone);
        V1Job created;
        try
        {
            created = await _client.CreateJobAsync(cronJob.Metadata.NamespaceProperty, job, cancellationToken);
            _events.Event(cronJob, EventTypes.Normal, "SuccessfulCreate", $"Created job {created.Metadata.Name}");
            LogCreated(_log, ObjectKeys.Of(cronJob), created.Metadata.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException && ApiErrors.IsConflict(e) && IsAlreadyExists(e))
        {
            // Made already (by an earlier pass whose status write was lost): adopt it into the status if it is ours.
            var existing = await _client.GetJobAsync(cronJob.Metadata.NamespaceProperty, job.Metadata.Name, cancellationToken);
            if (existing is null || OwnerReferences.ControllerOf(existing)?.Uid != cronJob.Metadata.Uid || active.Any(r => r.Uid == existing.Metadata.Uid))
            {
                return (null, changed);
            }

            created = existing;
        }
        catch (Exception e) when (e is not OperationCanceledException && !ApiErrors.HasCause(e, "NamespaceTerminating"))
        {
            _events.Event(cronJob, EventTypes.Warning, "FailedCreate", $"Error creating job: {ApiErrors.Describe(e)}");
            throw;
        }

        cronJob.Status.Active = [.. active, new V1ObjectReference
        {
            Kind = "Job",
            ApiVersion = "batch/v1",
            NamespaceProperty = created.Metadata.NamespaceProperty,
            Name = created.Metadata.Name,
            Uid = created.Metadata.Uid,
            ResourceVersion = created.Metadata.ResourceVersion,
        }];
        cronJob.Status.LastScheduleTime = at.UtcDateTime;
        return (CronJobSchedule.UntilNext(cronJob, now, schedule!, zone), true);
    }

    /// <summary>The Job of one start time (upstream's getJobFromTemplate2).</summary>
    internal static V1Job NewJob(V1CronJob cronJob, DateTimeOffset scheduled, TimeZoneInfo annotationZone)
    {
        var template = DeepCopy.Of(cronJob.Spec.JobTemplate);
        var annotations = template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a) : [];
        annotations[CronJobSchedule.ScheduledTimestampAnnotation] = CronJobSchedule.ScheduledTimestamp(scheduled, annotationZone);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = CronJobSchedule.JobName(cronJob, scheduled),
                Labels = template.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : null,
                Annotations = annotations,
                OwnerReferences = [OwnerReferences.ControllerRef(cronJob, "batch/v1", "CronJob")],
            },
            Spec = template.Spec,
        };
    }

    private async Task<bool> DeleteJobAsync(V1CronJob cronJob, V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteJobAsync(job.Metadata.NamespaceProperty, job.Metadata.Name, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _events.Event(cronJob, EventTypes.Warning, "FailedDelete", $"Deleted job: {ApiErrors.Describe(e)}");
            return false;
        }

        cronJob.Status.Active = cronJob.Status.Active?.Where(r => r.Uid != job.Metadata.Uid).ToList();
        _events.Event(cronJob, EventTypes.Normal, "SuccessfulDelete", $"Deleted job {job.Metadata.Name}");
        return true;
    }

    /// <summary>A schedule or zone change replans the wake-up; any other change syncs at once.</summary>
    internal void CronJobUpdated(V1CronJob old, V1CronJob cronJob)
    {
        var key = ObjectKeys.Of(cronJob);
        if (old.Spec.Schedule == cronJob.Spec.Schedule && old.Spec.TimeZone == cronJob.Spec.TimeZone)
        {
            Queue.Add(key);
            return;
        }

        var zone = cronJob.Spec.TimeZone is { } tz ? TimeZones.Load(tz) : _localZone;
        if (zone is null || CronSchedule.TryParse(cronJob.Spec.Schedule, out var schedule) is { } error)
        {
            _events.Event(cronJob, EventTypes.Warning, "UnParseableCronJobSchedule", $"unparseable schedule for cronjob: {cronJob.Spec.Schedule}");
            return;
        }

        if (CronJobSchedule.UntilNext(cronJob, _time.GetUtcNow(), schedule!, zone) is { } after)
        {
            Queue.AddAfter(key, after > TimeSpan.Zero ? after : TimeSpan.Zero);
        }
    }

    private void EnqueueOwner(V1Job job)
    {
        if (OwnerReferences.ControllerOf(job) is { Kind: "CronJob" } owner &&
            _cronJobs.Get(job.Metadata.NamespaceProperty, owner.Name) is { } cronJob && cronJob.Metadata.Uid == owner.Uid)
        {
            Queue.Add(ObjectKeys.Of(cronJob));
        }
    }

    /// <summary>Complete or Failed, whichever came true first; null while the Job runs.</summary>
    private static string? Finished(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type is JobNames.Complete or JobNames.Failed && c.Status == "True")?.Type;

    private static bool IsAlreadyExists(Exception e) =>
        e is k8s.Autorest.HttpOperationException http && http.Response.Content?.Contains("\"AlreadyExists\"", StringComparison.Ordinal) == true;

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    [LoggerMessage(Level = LogLevel.Information, Message = "cronjob {Key}: created job {Job}")]
    private static partial void LogCreated(ILogger log, string key, string job);
}
