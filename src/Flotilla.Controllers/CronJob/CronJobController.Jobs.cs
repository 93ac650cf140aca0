using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Controllers.Job;
using k8s.Models;

namespace Flotilla.Controllers.CronJob;

/// <summary>The CronJob's Jobs: the active ones reconciled, and the finished ones kept to the history limits.</summary>
public sealed partial class CronJobController
{
    /// <summary>Active Jobs that finished or went, unexpected ones, and the last success (upstream's first part of syncCronJob).</summary>
    private async Task<bool> ReconcileActiveAsync(V1CronJob cronJob, List<V1Job> jobs, CancellationToken cancellationToken)
    {
        var changed = false;
        var children = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            children.Add(job.Metadata.Uid);
            var found = cronJob.Status.Active?.Any(r => r.Uid == job.Metadata.Uid) == true;
            var finished = Finished(job);
            if (!found && finished is null)
            {
                var fresh = await _client.GetCronJobAsync(cronJob.Metadata.NamespaceProperty, cronJob.Metadata.Name, cancellationToken);
                if (fresh?.Status?.Active?.Any(r => r.Uid == job.Metadata.Uid) == true)
                {
                    cronJob.Metadata = fresh.Metadata;
                    cronJob.Spec = fresh.Spec;
                    cronJob.Status = fresh.Status;
                    continue;
                }

                _events.Event(cronJob, EventTypes.Warning, "UnexpectedJob", $"Saw a job that the controller did not create or forgot: {job.Metadata.Name}");
            }
            else if (finished is not null)
            {
                if (found)
                {
                    cronJob.Status.Active = [.. cronJob.Status.Active!.Where(r => r.Uid != job.Metadata.Uid)];
                    _events.Event(cronJob, EventTypes.Normal, "SawCompletedJob", $"Saw completed job: {job.Metadata.Name}, condition: {finished}");
                    changed = true;
                }

                if (finished == JobNames.Complete && job.Status?.CompletionTime is { } completed &&
                    (cronJob.Status.LastSuccessfulTime is not { } lastSuccess || completed > lastSuccess))
                {
                    cronJob.Status.LastSuccessfulTime = completed;
                    changed = true;
                }
            }
        }

        foreach (var reference in (cronJob.Status.Active ?? []).ToList())
        {
            if (children.Contains(reference.Uid))
            {
                continue;
            }

            // The cache may lag: only a Job the API no longer has is gone.
            if (await _client.GetJobAsync(reference.NamespaceProperty ?? cronJob.Metadata.NamespaceProperty, reference.Name, cancellationToken) is null)
            {
                _events.Event(cronJob, EventTypes.Normal, "MissingJob", $"Active job went missing: {reference.Name}");
                cronJob.Status.Active = [.. cronJob.Status.Active!.Where(r => r.Uid != reference.Uid)];
                changed = true;
            }
        }

        return changed;
    }

    /// <summary>Keeps the newest finished Jobs up to the history limits (upstream's cleanupFinishedJobs).</summary>
    private async Task<bool> CleanupFinishedJobsAsync(V1CronJob cronJob, List<V1Job> jobs, CancellationToken cancellationToken)
    {
        if (cronJob.Spec.SuccessfulJobsHistoryLimit is null && cronJob.Spec.FailedJobsHistoryLimit is null)
        {
            return false;
        }

        var changed = false;
        foreach (var (kind, limit) in new[] { (JobNames.Complete, cronJob.Spec.SuccessfulJobsHistoryLimit), (JobNames.Failed, cronJob.Spec.FailedJobsHistoryLimit) })
        {
            var finished = jobs.Where(j => Finished(j) == kind).ToList();
            if (limit is not { } keep || finished.Count <= keep)
            {
                continue;
            }

            var oldestFirst = finished
                .OrderBy(j => j.Status?.StartTime is null ? 1 : 0)
                .ThenBy(j => j.Status?.StartTime ?? DateTime.MaxValue)
                .ThenBy(j => j.Metadata.Name, StringComparer.Ordinal);
            foreach (var job in oldestFirst.Take(finished.Count - keep))
            {
                changed |= await DeleteJobAsync(cronJob, job, cancellationToken);
            }
        }

        return changed;
    }
}
