using Flotilla.Client;
using System.Globalization;
using Flotilla.Client.Events;
using Flotilla.Controllers.Framework;
using k8s.Models;
using static Flotilla.Controllers.Deployment.DeploymentMath;

namespace Flotilla.Controllers.Deployment;

/// <summary>The new ReplicaSet and the old ones, revisions and status (upstream sync.go, progress.go).</summary>
public sealed partial class DeploymentController
{
    private const int MaxRevisionHistoryChars = 2000;

    // Annotations of the Deployment a ReplicaSet does not copy (upstream skipCopyAnnotation).
    private static readonly HashSet<string> NotCopied =
    [
        "kubectl.kubernetes.io/last-applied-configuration", RevisionAnnotation, RevisionHistoryAnnotation,
        DesiredReplicasAnnotation, MaxReplicasAnnotation, "deprecated.deployment.rollback.to",
    ];

    /// <summary>The oldest ReplicaSet whose template is the Deployment's (ignoring the hash), and the others.</summary>
    private static (V1ReplicaSet? New, List<V1ReplicaSet> Old) Split(V1Deployment d, List<V1ReplicaSet> sets)
    {
        var newRs = sets.OrderBy(r => r.Metadata.CreationTimestamp).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault(r => PodTemplateHash.EqualIgnoringHash(r.Spec.Template, d.Spec.Template));
        return (newRs, [.. sets.Where(r => r != newRs)]);
    }

    /// <summary>
    /// Upstream getAllReplicaSetsAndSyncRevision: the new ReplicaSet gets the next revision (an old one that matches
    /// again — a rollback — moves up, its former revisions kept in revision-history), or is created when
    /// <paramref name="create"/>; the Deployment takes its revision.
    /// </summary>
    private async Task<(V1ReplicaSet? New, List<V1ReplicaSet> Old)> NewAndOldAsync(V1Deployment d, List<V1ReplicaSet> sets, bool create, CancellationToken cancellationToken)
    {
        var (existing, oldSets) = Split(d, sets);
        var newRevision = (oldSets.Select(Revision).DefaultIfEmpty(0).Max() + 1).ToString(CultureInfo.InvariantCulture);
        if (existing is not null)
        {
            var copy = Api.Serialization.DeepCopy.Of(existing);
            var annotated = SetNewReplicaSetAnnotations(d, copy, newRevision, exists: true);
            if (annotated || copy.Spec.MinReadySeconds != d.Spec.MinReadySeconds)
            {
                copy.Spec.MinReadySeconds = d.Spec.MinReadySeconds;
                existing = await _client.UpdateReplicaSetAsync(copy, cancellationToken);
            }

            var needsUpdate = SetDeploymentRevision(d, existing.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var r) == true ? r : null);
            if (DeploymentConditions.HasProgressDeadline(d) && DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing) is null)
            {
                DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.FoundNewReplicaSet, $"Found new replica set \"{existing.Metadata.Name}\"", _time.GetUtcNow()));
                needsUpdate = true;
            }

            if (needsUpdate)
            {
                await UpdateStatusAsync(d, cancellationToken);
            }

            return (existing, oldSets);
        }

        if (!create)
        {
            return (null, oldSets);
        }

        var template = Api.Serialization.DeepCopy.Of(d.Spec.Template);
        var hash = PodTemplateHash.Compute(template, d.Status.CollisionCount);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>()) { [PodTemplateHash.Label] = hash };
        var selector = Api.Serialization.DeepCopy.Of(d.Spec.Selector);
        selector.MatchLabels = new Dictionary<string, string>(selector.MatchLabels ?? new Dictionary<string, string>()) { [PodTemplateHash.Label] = hash };
        var rs = new V1ReplicaSet
        {
            ApiVersion = ApiVersion,
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = d.Metadata.Name + "-" + hash,
                NamespaceProperty = d.Metadata.NamespaceProperty,
                OwnerReferences = [OwnerReferences.ControllerRef(d, ApiVersion, Kind)],
                Labels = template.Metadata.Labels,
            },
            Spec = new V1ReplicaSetSpec { Replicas = 0, MinReadySeconds = d.Spec.MinReadySeconds, Selector = selector, Template = template },
        };
        rs.Spec.Replicas = NewReplicaSetReplicas(d, [.. oldSets, rs], rs);
        SetNewReplicaSetAnnotations(d, rs, newRevision, exists: false);

        V1ReplicaSet created;
        var alreadyExists = false;
        try
        {
            created = await _client.CreateReplicaSetAsync(rs, cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            alreadyExists = true;
            var found = _replicaSets.Get(rs.Metadata.NamespaceProperty, rs.Metadata.Name);
            if (found is null || OwnerReferences.ControllerOf(found)?.Uid != d.Metadata.Uid || !PodTemplateHash.EqualIgnoringHash(d.Spec.Template, found.Spec.Template))
            {
                // A hash collision: another template made this name. Count it, so the next sync hashes anew.
                d.Status.CollisionCount = (d.Status.CollisionCount ?? 0) + 1;
                await _client.UpdateStatusAsync(d, cancellationToken);
                throw;
            }

            created = found;
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            var message = $"Failed to create new replica set \"{rs.Metadata.Name}\": {ApiErrors.Message(e)}";
            if (DeploymentConditions.HasProgressDeadline(d))
            {
                DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "False", DeploymentConditions.ReplicaSetCreateError, message, _time.GetUtcNow()));
                await _client.UpdateStatusAsync(d, cancellationToken);
            }

            _events.Event(d, EventTypes.Warning, DeploymentConditions.ReplicaSetCreateError, message);
            throw;
        }

        if (!alreadyExists && Replicas(created) > 0)
        {
            _events.Event(d, EventTypes.Normal, "ScalingReplicaSet", "Scaled up replica set {0} from 0 to {1}", created.Metadata.Name, Replicas(created));
        }

        var changed = SetDeploymentRevision(d, newRevision);
        if (!alreadyExists && DeploymentConditions.HasProgressDeadline(d))
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetCreated, $"Created new replica set \"{created.Metadata.Name}\"", _time.GetUtcNow()));
            changed = true;
        }

        if (changed)
        {
            await UpdateStatusAsync(d, cancellationToken);
        }

        return (created, oldSets);
    }

    /// <summary>Upstream SetNewReplicaSetAnnotations; true when the ReplicaSet's annotations changed.</summary>
    private static bool SetNewReplicaSetAnnotations(V1Deployment d, V1ReplicaSet rs, string newRevision, bool exists)
    {
        rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var annotations = rs.Metadata.Annotations;
        var changed = false;
        foreach (var (key, value) in d.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!NotCopied.Contains(key) && (!annotations.TryGetValue(key, out var had) || had != value))
            {
                annotations[key] = value;
                changed = true;
            }
        }

        var hadRevision = annotations.TryGetValue(RevisionAnnotation, out var oldRevision);
        var oldNumber = long.TryParse(oldRevision, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        if (hadRevision && oldRevision!.Length > 0 && !long.TryParse(oldRevision, CultureInfo.InvariantCulture, out _))
        {
            return changed;
        }

        var newNumber = long.Parse(newRevision, CultureInfo.InvariantCulture);
        if (oldNumber < newNumber)
        {
            annotations[RevisionAnnotation] = newRevision;
            changed = true;
            if (hadRevision)
            {
                // Rolled back to: keep the revisions it had, within the length limit.
                var history = annotations.TryGetValue(RevisionHistoryAnnotation, out var h) ? h : string.Empty;
                var revisions = history.Length == 0 ? [] : history.Split(',').ToList();
                revisions.Add(oldRevision!);
                while (string.Join(',', revisions).Length > MaxRevisionHistoryChars && revisions.Count > 1)
                {
                    revisions.RemoveAt(0);
                }

                annotations[RevisionHistoryAnnotation] = string.Join(',', revisions);
            }
        }

        if (!exists && SetReplicasAnnotations(rs, Replicas(d), Replicas(d) + MaxSurge(d)))
        {
            changed = true;
        }

        return changed;
    }

    /// <summary>Sets the Deployment's revision annotation; true when it changed (written with the status, as upstream).</summary>
    private static bool SetDeploymentRevision(V1Deployment d, string? revision)
    {
        if (string.IsNullOrEmpty(revision) || (d.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var had) == true && had == revision))
        {
            return false;
        }

        d.Metadata.Annotations ??= new Dictionary<string, string>();
        d.Metadata.Annotations[RevisionAnnotation] = revision;
        return true;
    }

    /// <summary>The counts over all ReplicaSets and the Available condition (upstream calculateStatus).</summary>
    private V1DeploymentStatus CalculateStatus(V1Deployment d, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet? newRs)
    {
        var available = AvailableReplicas(all);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation,
            Replicas = ActualReplicas(all),
            UpdatedReplicas = ActualReplicas([newRs]),
            ReadyReplicas = ReadyReplicas(all),
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(0, SpecReplicas(all) - available),
            CollisionCount = d.Status.CollisionCount,
            Conditions = [.. d.Status.Conditions ?? []],
        };
        var now = _time.GetUtcNow();
        DeploymentConditions.Set(status, available >= Replicas(d) - MaxUnavailable(d)
            ? DeploymentConditions.New(DeploymentConditions.Available, "True", DeploymentConditions.MinimumReplicasAvailable, "Deployment has minimum availability.", now)
            : DeploymentConditions.New(DeploymentConditions.Available, "False", DeploymentConditions.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    private async Task SyncStatusAsync(V1Deployment d, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet? newRs, CancellationToken cancellationToken)
    {
        var status = CalculateStatus(d, all, newRs);
        if (!SameStatus(d.Status, status))
        {
            d.Status = status;
            await UpdateStatusAsync(d, cancellationToken);
        }
    }

    /// <summary>Status with the Progressing condition a rollout earns (upstream syncRolloutStatus).</summary>
    private async Task SyncRolloutStatusAsync(V1Deployment d, IReadOnlyList<V1ReplicaSet?> all, V1ReplicaSet? newRs, CancellationToken cancellationToken)
    {
        var status = CalculateStatus(d, all, newRs);
        var now = _time.GetUtcNow();
        if (!DeploymentConditions.HasProgressDeadline(d))
        {
            DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
        }

        var current = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        var complete = status.Replicas == status.UpdatedReplicas && current?.Reason == DeploymentConditions.NewReplicaSetAvailable;
        if (DeploymentConditions.HasProgressDeadline(d) && !complete)
        {
            var subject = newRs is null ? $"Deployment \"{d.Metadata.Name}\"" : $"ReplicaSet \"{newRs.Metadata.Name}\"";
            if (DeploymentConditions.Complete(d, status))
            {
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.NewReplicaSetAvailable, $"{subject} has successfully progressed.", now));
            }
            else if (DeploymentConditions.MadeProgress(d, status))
            {
                var condition = DeploymentConditions.New(DeploymentConditions.Progressing, "True", DeploymentConditions.ReplicaSetUpdated, $"{subject} is progressing.", now);
                if (current is not null)
                {
                    if (current.Status == "True")
                    {
                        condition.LastTransitionTime = current.LastTransitionTime;
                    }

                    DeploymentConditions.Remove(status, DeploymentConditions.Progressing);
                }

                DeploymentConditions.Set(status, condition);
            }
            else if (DeploymentConditions.TimedOut(d, status, now))
            {
                DeploymentConditions.Set(status, DeploymentConditions.New(DeploymentConditions.Progressing, "False", DeploymentConditions.ProgressDeadlineExceeded, $"{subject} has timed out progressing.", now));
            }
        }

        var failure = all.OfType<V1ReplicaSet>().SelectMany(r => r.Status?.Conditions ?? []).FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True");
        if (failure is not null)
        {
            DeploymentConditions.Set(status, new V1DeploymentCondition { Type = DeploymentConditions.ReplicaFailure, Status = failure.Status, Reason = failure.Reason, Message = failure.Message, LastTransitionTime = failure.LastTransitionTime, LastUpdateTime = failure.LastTransitionTime });
        }
        else
        {
            DeploymentConditions.Remove(status, DeploymentConditions.ReplicaFailure);
        }

        if (!SameStatus(d.Status, status))
        {
            d.Status = status;
            await UpdateStatusAsync(d, cancellationToken);
        }

        RequeueStuck(d, status, now);
    }

    /// <summary>A rollout that stops making progress is looked at again when its deadline passes (requeueStuckDeployment).</summary>
    private void RequeueStuck(V1Deployment d, V1DeploymentStatus status, DateTimeOffset now)
    {
        if (!DeploymentConditions.HasProgressDeadline(d) || DeploymentConditions.Get(status, DeploymentConditions.Progressing) is not { LastUpdateTime: { } updated } condition ||
            DeploymentConditions.Complete(d, status) || condition.Reason == DeploymentConditions.ProgressDeadlineExceeded)
        {
            return;
        }

        var after = new DateTimeOffset(DateTime.SpecifyKind(updated, DateTimeKind.Utc)).AddSeconds(d.Spec.ProgressDeadlineSeconds!.Value) - now;
        Queue.AddAfter(Client.ObjectKeys.Of(d), after < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : after + TimeSpan.FromSeconds(1));
    }

    /// <summary>A Progressing condition of Unknown while paused, and on resume (checkPausedConditions).</summary>
    private async Task CheckPausedConditionsAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        if (!DeploymentConditions.HasProgressDeadline(d))
        {
            return;
        }

        var condition = DeploymentConditions.Get(d.Status, DeploymentConditions.Progressing);
        if (condition?.Reason == DeploymentConditions.ProgressDeadlineExceeded)
        {
            return;
        }

        var pausedNoted = condition?.Reason == DeploymentConditions.DeploymentPaused;
        var now = _time.GetUtcNow();
        if (d.Spec.Paused == true && !pausedNoted)
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentPaused, "Deployment is paused", now));
        }
        else if (d.Spec.Paused != true && pausedNoted)
        {
            DeploymentConditions.Set(d.Status, DeploymentConditions.New(DeploymentConditions.Progressing, "Unknown", DeploymentConditions.DeploymentResumed, "Deployment is resumed", now));
        }
        else
        {
            return;
        }

        await UpdateStatusAsync(d, cancellationToken);
    }

    /// <summary>Writes status (and the revision annotation); later writes of this sync carry the new resourceVersion.</summary>
    private async Task UpdateStatusAsync(V1Deployment d, CancellationToken cancellationToken)
    {
        var updated = await _client.UpdateStatusAsync(d, cancellationToken);
        d.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
        d.Status = updated.Status ?? d.Status;
    }

    private static bool SameStatus(V1DeploymentStatus? a, V1DeploymentStatus b) =>
        a is not null &&
        k8s.KubernetesJson.Serialize(a) == k8s.KubernetesJson.Serialize(b);
}
