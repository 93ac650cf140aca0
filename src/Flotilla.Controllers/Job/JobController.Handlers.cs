using Flotilla.Api.Selectors;
using Flotilla.Client;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>What the informers' events mean to the Job controller, and the tracking finalizers of pods no job counts any more.</summary>
public sealed partial class JobController
{
    internal void JobAdded(V1Job job) => Queue.Add(ObjectKeys.Of(job));

    internal void JobUpdated(V1Job old, V1Job job)
    {
        var key = ObjectKeys.Of(job);
        if (old.Metadata.Generation != job.Metadata.Generation)
        {
            Queue.Add(key);
        }
        else
        {
            Queue.AddAfter(key, SyncBatchPeriod);
        }

        if (JobConditions.IsFinished(job))
        {
            OrphanFinalizedPods(job);
        }

        // A deadline changed on a running job: look again when it passes.
        if (job.Status?.StartTime is { } started && job.Spec.ActiveDeadlineSeconds is { } deadline && old.Spec.ActiveDeadlineSeconds != deadline)
        {
            var left = new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)).AddSeconds(deadline) - _time.GetUtcNow();
            Queue.AddAfter(key, left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    internal void JobDeleted(V1Job job)
    {
        var key = ObjectKeys.Of(job);
        Expectations.Delete(key);
        Queue.Add(key);
        OrphanFinalizedPods(job);
    }

    internal void PodAdded(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            PodDeleted(pod, final: false);
            return;
        }

        if (OwnerReferences.ControllerOf(pod) is { } controllerRef)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is { } job)
            {
                var key = ObjectKeys.Of(job);
                Expectations.CreationObserved(key);
                Queue.AddAfter(key, SyncBatchPeriod);
            }
            else if (JobPods.HasFinalizer(pod))
            {
                Orphans.Add(ObjectKeys.Of(pod));
            }

            return;
        }

        if (JobPods.HasFinalizer(pod))
        {
            Orphans.Add(ObjectKeys.Of(pod));
        }

        foreach (var job in Selecting(pod))
        {
            Queue.AddAfter(ObjectKeys.Of(job), SyncBatchPeriod);
        }
    }

    internal void PodUpdated(V1Pod old, V1Pod pod)
    {
        if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
        {
            return;
        }

        if (pod.Metadata.DeletionTimestamp is not null)
        {
            // A graceful delete shows first as an update.
            PodDeleted(pod, final: false);
            return;
        }

        if (JobPods.HasFinalizer(old) && !JobPods.HasFinalizer(pod))
        {
            FinalizerRemovalObserved(pod);
        }

        var oldRef = OwnerReferences.ControllerOf(old);
        var newRef = OwnerReferences.ControllerOf(pod);
        if (oldRef is not null && oldRef.Uid != newRef?.Uid && Resolve(old.Metadata.NamespaceProperty, oldRef) is { } previous)
        {
            Queue.AddAfter(ObjectKeys.Of(previous), SyncBatchPeriod);
        }

        if (newRef is not null)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, newRef) is { } job)
            {
                Queue.AddAfter(ObjectKeys.Of(job), SyncBatchPeriod);
            }
            else if (JobPods.HasFinalizer(pod))
            {
                Orphans.Add(ObjectKeys.Of(pod));
            }

            return;
        }

        if (JobPods.HasFinalizer(pod))
        {
            Orphans.Add(ObjectKeys.Of(pod));
        }

        foreach (var job in Selecting(pod))
        {
            Queue.AddAfter(ObjectKeys.Of(job), SyncBatchPeriod);
        }
    }

    internal void PodDeleted(V1Pod pod) => PodDeleted(pod, final: true);

    private void PodDeleted(V1Pod pod, bool final)
    {
        if (final || !JobPods.HasFinalizer(pod))
        {
            FinalizerRemovalObserved(pod);
        }

        if (OwnerReferences.ControllerOf(pod) is not { } controllerRef || Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } job)
        {
            if (JobPods.HasFinalizer(pod) && !final)
            {
                Orphans.Add(ObjectKeys.Of(pod));
            }

            return;
        }

        var key = ObjectKeys.Of(job);
        Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
        Queue.AddAfter(key, SyncBatchPeriod);
    }

    /// <summary>The orphan worker: drops the tracking finalizer of a pod that no unfinished Job controls.</summary>
    internal async Task SyncOrphanPodAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_pods.Get(ns, name) is not { } pod || !JobPods.HasFinalizer(pod))
        {
            return;
        }

        if (OwnerReferences.ControllerOf(pod) is { } controllerRef)
        {
            if (controllerRef.Kind != "Job" || controllerRef.ApiVersion != "batch/v1")
            {
                return;  // another kind of owner's finalizer to keep
            }

            var job = Resolve(ns, controllerRef);
            if (job?.Spec.ManagedBy is { } managedBy && managedBy != JobNames.ManagedBy)
            {
                return;
            }

            if (job is not null && !JobConditions.IsFinished(job))
            {
                return;  // adopted meanwhile
            }
        }

        try
        {
            await _podControl.PatchAsync(ns, name, RemoveFinalizerPatch, cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
        }
    }

    /// <summary>Every pod of a finished or deleted job that still has the finalizer goes to the orphan worker.</summary>
    private void OrphanFinalizedPods(V1Job job)
    {
        foreach (var pod in _pods.List(job.Metadata.NamespaceProperty))
        {
            if (JobPods.HasFinalizer(pod) && OwnerReferences.ControllerOf(pod)?.Uid == job.Metadata.Uid)
            {
                Orphans.Add(ObjectKeys.Of(pod));
            }
        }
    }

    private void FinalizerRemovalObserved(V1Pod pod)
    {
        if (OwnerReferences.ControllerOf(pod) is { Kind: "Job" } owner &&
            _finalizerRemovals.TryGetValue(ObjectKeys.Of(pod.Metadata.NamespaceProperty, owner.Name), out var uids))
        {
            uids.TryRemove(pod.Metadata.Uid, out _);
        }
    }

    private V1Job? Resolve(string ns, V1OwnerReference controllerRef) =>
        controllerRef.Kind == "Job" && _jobs.Get(ns, controllerRef.Name) is { } job && job.Metadata.Uid == controllerRef.Uid ? job : null;

    private IEnumerable<V1Job> Selecting(V1Pod pod)
    {
        var labels = Pods.Labels(pod);
        if (labels is null || labels.Count == 0)
        {
            return [];
        }

        return _jobs.List(pod.Metadata.NamespaceProperty).Where(j => LabelSelector.FromModel(j.Spec.Selector) is { IsEmpty: false } s && s.Matches(labels));
    }
}
