using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Resources;
using Flotilla.Api.Selectors;
using Flotilla.Api.Serialization;
using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Queue;

/// <summary>What a pod update changed, as far as scheduling is concerned (upstream isPodUpdated and PodSchedulingPropertiesChange).</summary>
public static class PodChanges
{
    /// <summary>
    /// Whether the update may make the pod schedulable: anything changed besides its status (but for resource
    /// claim statuses), resourceVersion, generation, managed fields and finalizers.
    /// </summary>
    public static bool IsPodUpdated(V1Pod? oldPod, V1Pod newPod)
    {
        ArgumentNullException.ThrowIfNull(newPod);
        return oldPod is null || !JsonNode.DeepEquals(Strip(oldPod), Strip(newPod));
    }

    /// <summary>
    /// The events an update of <paramref name="newPod"/> raises: <see cref="EventResource.AssignedPod"/> for a bound pod,
    /// <see cref="EventResource.Pod"/> for a pending one; <see cref="ActionType.UpdatePodGeneric"/> when nothing specific changed.
    /// </summary>
    public static IReadOnlyList<ClusterEvent> SchedulingPropertiesChange(V1Pod newPod, V1Pod oldPod)
    {
        ArgumentNullException.ThrowIfNull(newPod);
        ArgumentNullException.ThrowIfNull(oldPod);
        var resource = string.IsNullOrEmpty(newPod.Spec?.NodeName) ? EventResource.Pod : EventResource.AssignedPod;
        var events = new List<ClusterEvent>();
        if (!LabelSets.Equal(newPod.Metadata?.Labels, oldPod.Metadata?.Labels))
        {
            events.Add(new ClusterEvent(resource, ActionType.UpdatePodLabel));
        }

        if (ScaledDown(newPod, oldPod))
        {
            events.Add(new ClusterEvent(resource, ActionType.UpdatePodScaleDown));
        }

        if (newPod.Spec?.SchedulingGates is not { Count: > 0 } && oldPod.Spec?.SchedulingGates is { Count: > 0 })
        {
            events.Add(new ClusterEvent(resource, ActionType.UpdatePodSchedulingGatesEliminated));
        }

        // Tolerations can only be added (API validation), so a changed count is every change.
        if ((newPod.Spec?.Tolerations?.Count ?? 0) != (oldPod.Spec?.Tolerations?.Count ?? 0))
        {
            events.Add(new ClusterEvent(resource, ActionType.UpdatePodTolerations));
        }

        if (events.Count == 0)
        {
            events.Add(new ClusterEvent(resource, ActionType.UpdatePodGeneric));
        }

        return events;
    }

    private static JsonNode? Strip(V1Pod pod)
    {
        var node = JsonSerializer.SerializeToNode(pod, KubernetesJsonOptions.Value);
        if (node is not JsonObject obj)
        {
            return node;
        }

        if (obj["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            metadata.Remove("generation");
            metadata.Remove("managedFields");
            metadata.Remove("finalizers");
        }

        var claims = obj["status"]?["resourceClaimStatuses"]?.DeepClone();
        obj.Remove("status");
        if (claims is not null)
        {
            obj["status"] = new JsonObject { ["resourceClaimStatuses"] = claims };
        }

        return obj;
    }

    private static bool ScaledDown(V1Pod newPod, V1Pod oldPod)
    {
        var after = PodResources.Requests(newPod);
        return PodResources.Requests(oldPod).Any(r => !after.TryGetValue(r.Key, out var now) || now < r.Value);
    }
}
