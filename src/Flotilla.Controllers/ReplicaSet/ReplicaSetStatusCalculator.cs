using Flotilla.Api.Selectors;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.ReplicaSet;

/// <summary>Upstream's calculateStatus: counts over the ReplicaSet's active pods, and the ReplicaFailure condition.</summary>
public static class ReplicaSetStatusCalculator
{
    public const string ReplicaFailure = "ReplicaFailure";

    /// <param name="manageError">What creating or deleting pods failed with, if it did; <paramref name="creating"/> tells which.</param>
    public static V1ReplicaSetStatus Calculate(V1ReplicaSet rs, IReadOnlyList<V1Pod> pods, string? manageError, bool creating, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rs);
        var templateLabels = LabelSelector.FromSet(rs.Spec.Template?.Metadata?.Labels);
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        var conditions = (rs.Status?.Conditions ?? []).ToList();
        var failure = conditions.FirstOrDefault(c => c.Type == ReplicaFailure);
        if (manageError is not null && failure is null)
        {
            conditions.Add(new V1ReplicaSetCondition
            {
                Type = ReplicaFailure,
                Status = "True",
                Reason = creating ? "FailedCreate" : "FailedDelete",
                Message = manageError,
                LastTransitionTime = Api.Timestamps.Of(now),
            });
        }
        else if (manageError is null && failure is not null)
        {
            conditions.Remove(failure);
        }

        return new V1ReplicaSetStatus
        {
            Replicas = pods.Count,
            FullyLabeledReplicas = pods.Count(p => templateLabels.Matches(Pods.Labels(p))),
            ReadyReplicas = pods.Count(Pods.IsReady),
            AvailableReplicas = pods.Count(p => Pods.IsAvailable(p, minReady, now)),
            ObservedGeneration = rs.Metadata.Generation,
            Conditions = conditions.Count == 0 ? null : conditions,
        };
    }

    /// <summary>True when writing <paramref name="status"/> would change nothing.</summary>
    public static bool Same(V1ReplicaSetStatus? current, V1ReplicaSetStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return current is not null &&
            current.Replicas == status.Replicas &&
            (current.FullyLabeledReplicas ?? 0) == (status.FullyLabeledReplicas ?? 0) &&
            (current.ReadyReplicas ?? 0) == (status.ReadyReplicas ?? 0) &&
            (current.AvailableReplicas ?? 0) == (status.AvailableReplicas ?? 0) &&
            current.ObservedGeneration == status.ObservedGeneration &&
            (current.Conditions?.Count ?? 0) == (status.Conditions?.Count ?? 0) &&
            (current.Conditions ?? []).Zip(status.Conditions ?? []).All(p => p.First.Type == p.Second.Type && p.First.Status == p.Second.Status && p.First.Reason == p.Second.Reason);
    }
}
