using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Scheduler;

/// <summary>
/// Writes why a pod is not scheduled: the PodScheduled=False condition (reason Unschedulable or SchedulerError,
/// the FitError message) and the nominated node, by a strategic merge patch of pods/status — only when either
/// changed, so a pod retried with the same verdict costs no write (upstream updatePod).
/// </summary>
internal static class PodStatusPatch
{
    public static async Task ApplyAsync(IKubernetes client, V1Pod pod, string reason, string message, string? nominatedNodeName, TimeProvider time, CancellationToken cancellationToken)
    {
        var existing = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var sameCondition = existing is { Status: "False" } && existing.Reason == reason && existing.Message == message;
        var nominatedChanged = nominatedNodeName is not null && nominatedNodeName != pod.Status?.NominatedNodeName;
        if (sameCondition && !nominatedChanged)
        {
            return;
        }

        var transition = existing?.Status == "False" && existing.LastTransitionTime is { } t ? t : time.GetUtcNow().UtcDateTime;
        var status = new JsonObject
        {
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "False",
                ["reason"] = reason,
                ["message"] = message,
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = transition.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            }),
        };
        if (nominatedChanged)
        {
            status["nominatedNodeName"] = nominatedNodeName;
        }

        var patch = new JsonObject { ["status"] = status }.ToJsonString(JsonSerializerOptions.Default);
        try
        {
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Deleted meanwhile: nothing to report on.
        }
    }
}
