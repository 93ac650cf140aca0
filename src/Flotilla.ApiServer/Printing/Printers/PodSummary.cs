using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>
/// The READY, STATUS and RESTARTS of a pod as kubectl shows them: the first unfinished init container decides
/// ("Init:1/2", "Init:CrashLoopBackOff"), then the containers, the last one listed winning.
/// </summary>
internal sealed record PodSummary(int ReadyContainers, int TotalContainers, string Reason, int Restarts, DateTime? LastRestart)
{
    private const string NodeUnreachablePodReason = "NodeLost";

    public static PodSummary Of(V1Pod pod)
    {
        var spec = pod.Spec;
        var status = pod.Status;
        var initSpecs = spec?.InitContainers ?? [];
        var total = spec?.Containers?.Count ?? 0;
        var ready = 0;
        var restarts = 0;
        var sidecarRestarts = 0;
        DateTime? lastRestart = null;
        DateTime? lastSidecarRestart = null;

        var phase = status?.Phase ?? "";
        var reason = string.IsNullOrEmpty(status?.Reason) ? phase : status.Reason;
        if (status?.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "SchedulingGated") == true)
        {
            reason = "SchedulingGated";
        }

        var initContainers = new Dictionary<string, V1Container>(StringComparer.Ordinal);
        foreach (var c in initSpecs)
        {
            initContainers[c.Name ?? ""] = c;
            if (IsRestartable(c))
            {
                total++;
            }
        }

        var initializing = false;
        var initStatuses = status?.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var container = initStatuses[i];
            var finished = container.LastState?.Terminated?.FinishedAt;
            var restartable = IsRestartable(initContainers.GetValueOrDefault(container.Name ?? ""));
            restarts += container.RestartCount;
            lastRestart = Timestamps.Later(lastRestart, finished);
            if (restartable)
            {
                sidecarRestarts += container.RestartCount;
                lastSidecarRestart = Timestamps.Later(lastSidecarRestart, finished);
            }

            var terminated = container.State?.Terminated;
            var waiting = container.State?.Waiting;
            if (terminated is { ExitCode: 0 })
            {
                continue;
            }

            if (restartable && container.Started == true)
            {
                if (container.Ready)
                {
                    ready++;
                }

                continue;
            }

            if (terminated is not null)
            {
                reason = string.IsNullOrEmpty(terminated.Reason)
                    ? (terminated.Signal is { } signal and not 0 ? $"Init:Signal:{signal}" : $"Init:ExitCode:{terminated.ExitCode}")
                    : "Init:" + terminated.Reason;
            }
            else if (!string.IsNullOrEmpty(waiting?.Reason) && waiting.Reason != "PodInitializing")
            {
                reason = "Init:" + waiting.Reason;
            }
            else
            {
                reason = $"Init:{i}/{initSpecs.Count}";
            }

            initializing = true;
            break;
        }

        if (!initializing || IsConditionTrue(status, "Initialized"))
        {
            // Init containers that ran to completion no longer count; sidecars keep running and do.
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = status?.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var container = statuses[i];
                restarts += container.RestartCount;
                lastRestart = Timestamps.Later(lastRestart, container.LastState?.Terminated?.FinishedAt);
                var terminated = container.State?.Terminated;
                if (!string.IsNullOrEmpty(container.State?.Waiting?.Reason))
                {
                    reason = container.State.Waiting.Reason;
                }
                else if (terminated is not null)
                {
                    reason = !string.IsNullOrEmpty(terminated.Reason) ? terminated.Reason
                        : terminated.Signal is { } signal and not 0 ? $"Signal:{signal}"
                        : $"ExitCode:{terminated.ExitCode}";
                }
                else if (container.Ready && container.State?.Running is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            // A completed container next to a running one: the pod as a whole is still running.
            if (reason == "Completed" && hasRunning)
            {
                reason = IsConditionTrue(status, "Ready", firstOnly: false) ? "Running" : "NotReady";
            }
        }

        if (pod.Metadata?.DeletionTimestamp is not null)
        {
            if (status?.Reason == NodeUnreachablePodReason)
            {
                reason = "Unknown";
            }
            else if (phase is not ("Succeeded" or "Failed"))
            {
                reason = "Terminating";
            }
        }

        return new PodSummary(ready, total, reason, restarts, lastRestart);
    }

    public string RestartsText(DateTimeOffset now) =>
        Restarts != 0 && !Timestamps.IsZero(LastRestart)
            ? $"{Restarts} ({Timestamps.Since(LastRestart, now)} ago)"
            : Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsRestartable(V1Container? container) => container?.RestartPolicy == "Always";

    /// <summary>
    /// Whether the condition is True. Upstream reads Initialized from its first entry of that type but Ready
    /// from any entry (<c>isPodInitializedConditionTrue</c> / <c>hasPodReadyCondition</c>).
    /// </summary>
    private static bool IsConditionTrue(V1PodStatus? status, string type, bool firstOnly = true)
    {
        var matching = (status?.Conditions ?? []).Where(c => c.Type == type);
        return firstOnly ? matching.FirstOrDefault()?.Status == "True" : matching.Any(c => c.Status == "True");
    }
}
