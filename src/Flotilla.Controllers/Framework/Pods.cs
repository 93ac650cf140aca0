using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>Upstream's podutil and controller helpers about a pod's phase and readiness.</summary>
public static class Pods
{
    /// <summary>Not finished and not being deleted (upstream IsPodActive).</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata.DeletionTimestamp is null;

    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready for at least <paramref name="minReadySeconds"/> (upstream IsPodAvailable).</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        var ready = ReadyCondition(pod);
        if (ready?.Status != "True")
        {
            return false;
        }

        return minReadySeconds == 0 ||
            (ready.LastTransitionTime is { } since && new DateTimeOffset(DateTime.SpecifyKind(since, DateTimeKind.Utc)).AddSeconds(minReadySeconds) <= now);
    }

    public static V1PodCondition? ReadyCondition(V1Pod pod) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static IReadOnlyDictionary<string, string>? Labels(V1Pod pod) => pod.Metadata.Labels as IReadOnlyDictionary<string, string>;
}
