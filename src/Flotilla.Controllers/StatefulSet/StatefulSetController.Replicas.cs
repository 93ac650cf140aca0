using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.StatefulSet;

/// <summary>The replica loop (upstream's updateStatefulSet, processReplica, processCondemned and the rolling update).</summary>
public sealed partial class StatefulSetController
{
    private async Task<(V1StatefulSetStatus Status, string? Error)> UpdateReplicasAsync(V1StatefulSet set, V1ControllerRevision current, V1ControllerRevision update, int collisionCount, List<V1Pod> pods, CancellationToken cancellationToken)
    {
        var status = new V1StatefulSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            CurrentRevision = current.Metadata.Name,
            UpdateRevision = update.Metadata.Name,
            CollisionCount = collisionCount,
        };
        var currentTemplate = ControllerRevisions.Template(current);
        var updateTemplate = ControllerRevisions.Template(update);
        var start = StatefulPods.StartOrdinal(set);
        var count = set.Spec.Replicas ?? 1;
        var replicas = new V1Pod?[count];
        var condemned = new List<V1Pod>();
        foreach (var pod in pods)
        {
            var ordinal = StatefulPods.Ordinal(pod);
            if (ordinal >= start && ordinal < start + count)
            {
                replicas[ordinal - start] = pod;
            }
            else if (ordinal >= 0)
            {
                condemned.Add(pod);
            }
        }

        V1Pod NewPod(int ordinal)
        {
            // Below the partition (or the pods still at the current revision), the current template; else the update's.
            var partition = set.Spec.UpdateStrategy?.RollingUpdate?.Partition;
            var useCurrent = set.Spec.UpdateStrategy?.Type == "RollingUpdate" &&
                ((partition is null && ordinal < start + (set.Status.CurrentReplicas ?? 0)) || (partition is { } p && ordinal < start + p));
            return useCurrent ? StatefulPods.New(set, currentTemplate, current.Metadata.Name, ordinal) : StatefulPods.New(set, updateTemplate, update.Metadata.Name, ordinal);
        }

        for (var i = 0; i < count; i++)
        {
            replicas[i] ??= NewPod(start + i);
        }

        condemned.Sort((a, b) => StatefulPods.Ordinal(b).CompareTo(StatefulPods.Ordinal(a)));
        var firstUnhealthy = replicas.FirstOrDefault(p => !IsHealthy(p!)) ?? Enumerable.Reverse(condemned).FirstOrDefault(p => !IsHealthy(p));
        V1StatefulSetStatus Counted()
        {
            Count(status, set, current, update, [.. replicas.Where(p => p is not null)!, .. condemned]);
            return status;
        }

        if (set.Metadata.DeletionTimestamp is not null)
        {
            return (Counted(), null);
        }

        var monotonic = set.Spec.PodManagementPolicy != "Parallel";
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var now = _time.GetUtcNow();

        // The living replicas, in order; in OrderedReady, each waits for the one before.
        string? parallelError = null;
        for (var i = 0; i < count; i++)
        {
            var pod = replicas[i]!;
            try
            {
                if (pod.Status?.Phase is "Failed" or "Succeeded")
                {
                    // Deleted now, made again once it is gone (a later pass).
                    if (pod.Metadata.DeletionTimestamp is null)
                    {
                        await DeletePodAsync(set, pod, cancellationToken);
                    }

                    if (monotonic)
                    {
                        return (Counted(), null);
                    }

                    continue;
                }

                if (!IsCreated(pod))
                {
                    await CreatePodAsync(set, pod, start + i, cancellationToken);
                    if (monotonic)
                    {
                        return (Counted(), null);
                    }

                    continue;
                }

                if (pod.Status?.Phase == "Pending")
                {
                    await CreateClaimsAsync(set, pod, start + i, cancellationToken);
                }

                if (monotonic && (pod.Metadata.DeletionTimestamp is not null || !IsRunningAndReady(pod) || !IsRunningAndAvailable(pod, minReady, now)))
                {
                    return (Counted(), null);
                }

                if (!StatefulPods.IdentityMatches(set, pod) || !StatefulPods.StorageMatches(set, pod))
                {
                    await UpdatePodAsync(set, pod, start + i, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (monotonic)
                {
                    return (Counted(), ApiErrors.Describe(e));
                }

                parallelError ??= ApiErrors.Describe(e);
            }
        }

        if (parallelError is not null)
        {
            return (Counted(), parallelError);
        }

        // Claims of pods scaled away that the policy deletes get the pod as owner first, so they go with it.
        if (set.Spec.PersistentVolumeClaimRetentionPolicy?.WhenScaled == "Delete")
        {
            foreach (var pod in condemned.Where(p => p.Metadata.DeletionTimestamp is null))
            {
                try
                {
                    await OwnClaimsByPodAsync(set, pod, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    return (Counted(), ApiErrors.Describe(e));
                }
            }
        }

        // Then scale-down, from the highest ordinal; in OrderedReady only once everything before is healthy, one at a time.
        foreach (var pod in condemned)
        {
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                if (monotonic)
                {
                    return (Counted(), null);
                }

                continue;
            }

            if (monotonic && pod != firstUnhealthy && (!IsRunningAndReady(pod) || !IsRunningAndAvailable(pod, minReady, now)))
            {
                return (Counted(), null);
            }

            try
            {
                await DeletePodAsync(set, pod, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return (Counted(), ApiErrors.Describe(e));
            }

            if (monotonic)
            {
                return (Counted(), null);
            }
        }

        Counted();
        if (set.Spec.UpdateStrategy?.Type == "OnDelete")
        {
            return (status, null);
        }

        // RollingUpdate: the highest ordinal not at the update revision goes (its replacement comes next pass); wait for unhealthy ones.
        var updateMin = set.Spec.UpdateStrategy?.RollingUpdate?.Partition ?? 0;
        if (set.Spec.UpdateStrategy?.RollingUpdate?.MaxUnavailable is { } maxUnavailable)
        {
            return (status, await UpdateWithinMaxUnavailableAsync(set, replicas!, update, updateMin, maxUnavailable, status, cancellationToken));
        }

        for (var target = count - 1; target >= updateMin; target--)
        {
            var pod = replicas[target]!;
            if (StatefulPods.Revision(pod) != update.Metadata.Name && pod.Metadata.DeletionTimestamp is null)
            {
                try
                {
                    await DeletePodAsync(set, pod, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException && !ApiErrors.IsNotFound(e))
                {
                    return (status, ApiErrors.Describe(e));
                }

                status.CurrentReplicas--;
                return (status, null);
            }

            if (!IsHealthy(pod))
            {
                return (status, null);
            }
        }

        return (status, null);
    }

    /// <summary>
    /// Upstream's updateStatefulSetAfterInvariantEstablished (the MaxUnavailableStatefulSet behaviour): with the
    /// unhealthy replicas counted against <c>maxUnavailable</c> (a percentage of replicas rounded down, at least 1),
    /// the rest of it is spent deleting outdated pods from the highest ordinal down to the partition.
    /// </summary>
    private async Task<string?> UpdateWithinMaxUnavailableAsync(V1StatefulSet set, V1Pod?[] replicas, V1ControllerRevision update, int updateMin, IntOrString maxUnavailable, V1StatefulSetStatus status, CancellationToken cancellationToken)
    {
        var allowed = Math.Max(1, Deployment.DeploymentMath.Scaled(maxUnavailable, set.Spec.Replicas ?? 1, roundUp: false));
        var budget = allowed - replicas.Count(p => !IsHealthy(p!));
        for (var target = replicas.Length - 1; target >= updateMin && budget > 0; target--)
        {
            var pod = replicas[target]!;
            if (StatefulPods.Revision(pod) == update.Metadata.Name || pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            try
            {
                await DeletePodAsync(set, pod, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && !ApiErrors.IsNotFound(e))
            {
                return ApiErrors.Describe(e);
            }

            budget--;
            status.CurrentReplicas--;
        }

        return null;
    }

    /// <summary>Upstream's computeReplicaStatus over the replicas and the condemned.</summary>
    private void Count(V1StatefulSetStatus status, V1StatefulSet set, V1ControllerRevision current, V1ControllerRevision update, IEnumerable<V1Pod> pods)
    {
        var now = _time.GetUtcNow();
        int replicas = 0, ready = 0, available = 0, currentCount = 0, updated = 0;
        foreach (var pod in pods)
        {
            replicas += IsCreated(pod) ? 1 : 0;
            if (IsRunningAndReady(pod))
            {
                ready++;
                available += IsRunningAndAvailable(pod, set.Spec.MinReadySeconds ?? 0, now) ? 1 : 0;
            }

            if (IsCreated(pod) && pod.Metadata.DeletionTimestamp is null)
            {
                var revision = StatefulPods.Revision(pod);
                currentCount += revision == current.Metadata.Name ? 1 : 0;
                updated += revision == update.Metadata.Name ? 1 : 0;
            }
        }

        (status.Replicas, status.ReadyReplicas, status.AvailableReplicas, status.CurrentReplicas, status.UpdatedReplicas) = (replicas, ready, available, currentCount, updated);
    }

    private static bool IsCreated(V1Pod pod) => !string.IsNullOrEmpty(pod.Status?.Phase);

    private static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == "Running" && Pods.IsReady(pod);

    private static bool IsRunningAndAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now) => pod.Status?.Phase == "Running" && Pods.IsAvailable(pod, minReadySeconds, now);

    private static bool IsHealthy(V1Pod pod) => IsRunningAndReady(pod) && pod.Metadata.DeletionTimestamp is null;
}
