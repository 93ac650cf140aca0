using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Job;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.TtlAfterFinished;

/// <summary>
/// kube-controller-manager's TTL-after-finished controller: a finished Job with <c>ttlSecondsAfterFinished</c> is
/// deleted (foreground, so its pods go first) that long after it completed or failed. The Job is read afresh before
/// the delete, as its TTL may have changed, and the delete is bound to its UID.
/// </summary>
public sealed partial class TtlAfterFinishedController(Lister<V1Job> jobs, IKubernetes client, TimeProvider time, ILogger log)
{
    public const string Name = "ttl-after-finished-controller";

    public WorkQueue<string> Queue { get; } = new(Name, time);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var jobs = informers.Informer<V1Job>();
        var controller = new TtlAfterFinishedController(jobs.Lister, client, time, log);
        using var queue = controller.Queue;
        jobs.AddEventHandler(new ResourceEventHandler<V1Job>
        {
            OnAdd = (job, _) => controller.Enqueue(job),
            OnUpdate = (_, job) => controller.Enqueue(job),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (jobs.Get(ns, name) is not { } cached || Expiry(cached) is not { } expiry)
        {
            return;
        }

        var left = expiry - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            Queue.AddAfter(key, left);
            return;
        }

        // The cache may be old: the TTL decides on a fresh read.
        V1Job fresh;
        try
        {
            fresh = await client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            return;
        }

        if (Expiry(fresh) is not { } freshExpiry)
        {
            return;
        }

        left = freshExpiry - time.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            Queue.AddAfter(key, left);
            return;
        }

        LogDeleting(log, key);
        try
        {
            await client.BatchV1.DeleteNamespacedJobAsync(name, ns, new V1DeleteOptions
            {
                PropagationPolicy = "Foreground",
                Preconditions = new V1Preconditions { Uid = fresh.Metadata.Uid },
            }, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
        }
    }

    private void Enqueue(V1Job job)
    {
        if (Expiry(job) is not null)
        {
            Queue.Add(ObjectKeys.Of(job));
        }
    }

    /// <summary>When a finished job with a TTL, not being deleted, expires; null for any other.</summary>
    private static DateTimeOffset? Expiry(V1Job job)
    {
        if (job.Metadata.DeletionTimestamp is not null || job.Spec.TtlSecondsAfterFinished is not { } ttl || !JobConditions.IsFinished(job))
        {
            return null;
        }

        var finishedAt = job.Status.Conditions.First(c => c.Type is JobNames.Complete or JobNames.Failed && c.Status == "True").LastTransitionTime;
        return finishedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)).AddSeconds(ttl) : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "job {Key}: finished and its TTL has passed, deleting")]
    private static partial void LogDeleting(ILogger log, string key);
}
