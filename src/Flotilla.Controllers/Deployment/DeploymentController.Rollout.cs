using Flotilla.Client.Events;
using k8s.Models;
using static Flotilla.Controllers.Deployment.DeploymentMath;

namespace Flotilla.Controllers.Deployment;

/// <summary>The strategies (upstream rolling.go, recreate.go, sync.go): which ReplicaSet to scale, by how much.</summary>
public sealed partial class DeploymentController
{
    private async Task RollingAsync(V1Deployment d, List<V1ReplicaSet> sets, CancellationToken cancellationToken)
    {
        var (newRs, oldSets) = await NewAndOldAsync(d, sets, create: true, cancellationToken);
        var all = oldSets.Append(newRs!).ToList();

        if (await ReconcileNewAsync(d, all, newRs!, cancellationToken) || await ReconcileOldAsync(d, all, oldSets.Where(r => Replicas(r) > 0).ToList(), newRs!, cancellationToken))
        {
            await SyncRolloutStatusAsync(d, all, newRs, cancellationToken);
            return;
        }

        if (DeploymentConditions.Complete(d, d.Status))
        {
            await CleanupAsync(d, oldSets, cancellationToken);
        }

        await SyncRolloutStatusAsync(d, all, newRs, cancellationToken);
    }

    private async Task RecreateAsync(V1Deployment d, List<V1ReplicaSet> sets, CancellationToken cancellationToken)
    {
        var (newRs, oldSets) = await NewAndOldAsync(d, sets, create: false, cancellationToken);
        var scaledDown = false;
        foreach (var old in oldSets.Where(r => Replicas(r) > 0))
        {
            scaledDown |= (await ScaleAsync(d, old, 0, cancellationToken)).Scaled;
        }

        if (scaledDown || OldPodsRunning(newRs, oldSets))
        {
            await SyncRolloutStatusAsync(d, [.. oldSets, newRs], newRs, cancellationToken);
            return;
        }

        if (newRs is null)
        {
            (newRs, oldSets) = await NewAndOldAsync(d, sets, create: true, cancellationToken);
        }

        await ScaleAsync(d, newRs!, Replicas(d), cancellationToken);
        if (DeploymentConditions.Complete(d, d.Status))
        {
            await CleanupAsync(d, oldSets, cancellationToken);
        }

        await SyncRolloutStatusAsync(d, [.. oldSets, newRs], newRs, cancellationToken);
    }

    /// <summary>Paused, or only replicas changed: scale what exists, in proportion (upstream sync + scale).</summary>
    private async Task ScaleOnlyAsync(V1Deployment d, List<V1ReplicaSet> sets, CancellationToken cancellationToken)
    {
        var (newRs, oldSets) = await NewAndOldAsync(d, sets, create: false, cancellationToken);
        await ProportionalScaleAsync(d, newRs, oldSets, cancellationToken);
        if (d.Spec.Paused == true)
        {
            await CleanupAsync(d, oldSets, cancellationToken);
        }

        await SyncStatusAsync(d, [.. oldSets, newRs], newRs, cancellationToken);
    }

    /// <summary>A ReplicaSet was scaled for a different replica count than the Deployment's (isScalingEvent).</summary>
    private bool IsScalingEvent(V1Deployment d, List<V1ReplicaSet> sets)
    {
        var (newRs, oldSets) = Split(d, sets);
        return oldSets.Append(newRs).OfType<V1ReplicaSet>().Where(r => Replicas(r) > 0)
            .Any(r => Annotation(r, DesiredReplicasAnnotation) is { } desired && desired != Replicas(d));
    }

    private async Task<bool> ReconcileNewAsync(V1Deployment d, List<V1ReplicaSet> all, V1ReplicaSet newRs, CancellationToken cancellationToken)
    {
        if (Replicas(newRs) == Replicas(d))
        {
            return false;
        }

        var target = Replicas(newRs) > Replicas(d) ? Replicas(d) : NewReplicaSetReplicas(d, all, newRs);
        return (await ScaleAsync(d, newRs, target, cancellationToken)).Scaled;
    }

    private async Task<bool> ReconcileOldAsync(V1Deployment d, List<V1ReplicaSet> all, List<V1ReplicaSet> oldSets, V1ReplicaSet newRs, CancellationToken cancellationToken)
    {
        if (SpecReplicas(oldSets) == 0)
        {
            return false;
        }

        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var newUnavailable = Replicas(newRs) - (newRs.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = SpecReplicas(all) - minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
        {
            return false;
        }

        // Unhealthy old pods first: they must not hold the rollout up (upstream cleanupUnhealthyReplicas).
        var ordered = oldSets.OrderBy(r => r.Metadata.CreationTimestamp).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
        var cleaned = 0;
        for (var i = 0; i < ordered.Count && cleaned < maxScaledDown; i++)
        {
            var rs = ordered[i];
            var unhealthy = Replicas(rs) - (rs.Status?.AvailableReplicas ?? 0);
            if (Replicas(rs) == 0 || unhealthy <= 0)
            {
                continue;
            }

            var count = Math.Min(maxScaledDown - cleaned, unhealthy);
            ordered[i] = (await ScaleAsync(d, rs, Replicas(rs) - count, cancellationToken)).ReplicaSet;
            cleaned += count;
        }

        // Then as many available old pods as the unavailability budget allows. A ReplicaSet counts at most its
        // replicas: one just scaled down still reports the pods its controller is about to delete, and counting
        // them would take availability below the floor.
        var available = ordered.Append(newRs).Sum(r => Math.Min(r.Status?.AvailableReplicas ?? 0, Replicas(r)));
        var scaledDown = 0;
        var budget = available - minAvailable;
        foreach (var rs in ordered)
        {
            if (scaledDown >= budget)
            {
                break;
            }

            if (Replicas(rs) == 0)
            {
                continue;
            }

            var count = Math.Min(Replicas(rs), budget - scaledDown);
            await ScaleAsync(d, rs, Replicas(rs) - count, cancellationToken);
            scaledDown += count;
        }

        return cleaned + Math.Max(0, scaledDown) > 0;
    }

    private async Task ProportionalScaleAsync(V1Deployment d, V1ReplicaSet? newRs, List<V1ReplicaSet> oldSets, CancellationToken cancellationToken)
    {
        var active = oldSets.Append(newRs).OfType<V1ReplicaSet>().Where(r => Replicas(r) > 0).ToList();
        if (active.Count <= 1)
        {
            // One active ReplicaSet (or none: the newest) takes the whole count.
            var target = active.Count == 1 ? active[0] : newRs ?? oldSets.OrderByDescending(r => r.Metadata.CreationTimestamp).FirstOrDefault();
            if (target is not null && Replicas(target) != Replicas(d))
            {
                await ScaleAsync(d, target, Replicas(d), cancellationToken);
            }

            return;
        }

        if (newRs is not null && Annotation(newRs, DesiredReplicasAnnotation) == Replicas(d) && Replicas(newRs) == Replicas(d) && (newRs.Status?.AvailableReplicas ?? 0) == Replicas(d))
        {
            // The new ReplicaSet is saturated: the old ones go.
            foreach (var old in oldSets.Where(r => Replicas(r) > 0))
            {
                await ScaleAsync(d, old, 0, cancellationToken);
            }

            return;
        }

        if (!IsRollingUpdate(d))
        {
            return;
        }

        var allowed = Replicas(d) > 0 ? Replicas(d) + MaxSurge(d) : 0;
        var toAdd = allowed - SpecReplicas(active);
        // Larger first; on a tie, newer first when growing and older first when shrinking.
        active = toAdd > 0
            ? [.. active.OrderByDescending(Replicas).ThenByDescending(r => r.Metadata.CreationTimestamp)]
            : [.. active.OrderByDescending(Replicas).ThenBy(r => r.Metadata.CreationTimestamp)];
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var added = 0;
        foreach (var rs in active)
        {
            var share = toAdd != 0 ? Proportion(rs, d, toAdd, added) : 0;
            sizes[rs.Metadata.Name] = Replicas(rs) + share;
            added += share;
        }

        if (toAdd != 0)
        {
            // Leftovers go to the largest.
            sizes[active[0].Metadata.Name] = Math.Max(0, sizes[active[0].Metadata.Name] + toAdd - added);
        }

        foreach (var rs in active)
        {
            await ScaleAsync(d, rs, sizes[rs.Metadata.Name], cancellationToken);
        }
    }

    /// <summary>Old ReplicaSets beyond revisionHistoryLimit that are scaled to zero and settled go, oldest revision first.</summary>
    private async Task CleanupAsync(V1Deployment d, List<V1ReplicaSet> oldSets, CancellationToken cancellationToken)
    {
        if (d.Spec.RevisionHistoryLimit is not { } limit)
        {
            return;
        }

        var cleanable = oldSets.Where(r => r.Metadata.DeletionTimestamp is null).OrderBy(Revision).ThenBy(r => r.Metadata.CreationTimestamp).ToList();
        foreach (var rs in cleanable.Take(Math.Max(0, cleanable.Count - limit)))
        {
            if ((rs.Status?.Replicas ?? 0) != 0 || Replicas(rs) != 0 || (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0))
            {
                continue;
            }

            await _client.DeleteReplicaSetAsync(rs, cancellationToken);
        }
    }

    /// <summary>Scales one ReplicaSet (and keeps its desired/max annotations current); an event when the size changed.</summary>
    private async Task<(bool Scaled, V1ReplicaSet ReplicaSet)> ScaleAsync(V1Deployment d, V1ReplicaSet rs, int replicas, CancellationToken cancellationToken)
    {
        var copy = Api.Serialization.DeepCopy.Of(rs);
        var resize = Replicas(rs) != replicas;
        var annotate = SetReplicasAnnotations(copy, Replicas(d), Replicas(d) + MaxSurge(d));
        if (!resize && !annotate)
        {
            return (false, rs);
        }

        var from = Replicas(rs);
        copy.Spec.Replicas = replicas;
        var updated = await _client.UpdateReplicaSetAsync(copy, cancellationToken);
        if (resize)
        {
            var direction = replicas > from ? "up" : "down";
            _events.Event(d, EventTypes.Normal, "ScalingReplicaSet", "Scaled {0} replica set {1} from {2} to {3}", direction, rs.Metadata.Name, from, replicas);
            LogScaled(_log, Client.ObjectKeys.Of(d), direction, rs.Metadata.Name, from, replicas);
        }

        return (resize, updated);
    }

    private static long Revision(V1ReplicaSet rs) =>
        rs.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var text) == true && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : 0;
}
