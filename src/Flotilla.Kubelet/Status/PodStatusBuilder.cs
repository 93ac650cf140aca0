using Flotilla.Api;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Status;

/// <summary>
/// A pod's status from what the runtime holds (upstream generateAPIPodStatus and getPhase): container states with
/// reasons, restart counts and last states; the phase; the PodReadyToStartContainers, Initialized, ContainersReady
/// and Ready conditions (each keeping its transition time while it holds); the pod IP and start time.
/// </summary>
public static class PodStatusBuilder
{
    /// <param name="containers">Every container instance of the pod's current sandbox, all attempts.</param>
    /// <param name="backOff">Containers waiting out a restart back-off, with upstream's message.</param>
    /// <param name="runtime">The runtime's name, the scheme of container IDs (<c>containerd://</c>, <c>hollow://</c>).</param>
    public static V1PodStatus Build(V1Pod pod, PodSandboxStatus? sandbox, IReadOnlyList<ContainerStatus> containers, IReadOnlyDictionary<string, string> backOff, string runtime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(backOff);
        var stamp = Timestamps.Of(now);
        var spec = pod.Spec;
        var initContainers = spec.InitContainers ?? [];
        var initDone = initContainers.All(c => Latest(containers, c.Name) is { State: ContainerState.Exited, ExitCode: 0 });
        var initStatuses = initContainers.Select(c => Container(c, containers, backOff, runtime, initializing: false)).ToList();
        var statuses = spec.Containers.Select(c => Container(c, containers, backOff, runtime, initializing: !initDone)).ToList();
        var phase = Phase(pod, initContainers, initStatuses, statuses, initDone);

        var previous = pod.Status?.Conditions;
        var unready = statuses.Where(s => s.Ready != true).Select(s => s.Name).ToList();
        var finished = phase is "Succeeded" or "Failed";
        var conditions = new List<V1PodCondition>();
        if (previous?.FirstOrDefault(c => c.Type == "PodScheduled") is { } scheduled)
        {
            conditions.Add(scheduled);
        }

        conditions.Add(Condition(previous, "PodReadyToStartContainers", sandbox is { Ready: true } ? "True" : "False", null, null, stamp));
        var incomplete = initContainers.Where(c => Latest(containers, c.Name) is not { State: ContainerState.Exited, ExitCode: 0 }).Select(c => c.Name).ToList();
        conditions.Add(incomplete.Count == 0
            ? Condition(previous, "Initialized", "True", null, null, stamp)
            : Condition(previous, "Initialized", "False", "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]", stamp));
        foreach (var type in new[] { "ContainersReady", "Ready" })
        {
            conditions.Add(finished
                ? Condition(previous, type, "False", "PodCompleted", null, stamp)
                : unready.Count == 0
                    ? Condition(previous, type, "True", null, null, stamp)
                    : Condition(previous, type, "False", "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]", stamp));
        }

        return new V1PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            PodIP = sandbox?.Ip,
            PodIPs = sandbox?.Ip is { } ip ? [new V1PodIP { Ip = ip }] : null,
            StartTime = pod.Status?.StartTime ?? stamp,
            QosClass = pod.Status?.QosClass,
            InitContainerStatuses = initStatuses.Count == 0 ? null : initStatuses,
            ContainerStatuses = statuses,
        };
    }

    private static V1ContainerStatus Container(V1Container spec, IReadOnlyList<ContainerStatus> containers, IReadOnlyDictionary<string, string> backOff, string runtime, bool initializing)
    {
        var attempts = containers.Where(c => c.Name == spec.Name).OrderBy(c => c.Attempt).ToList();
        var latest = attempts.LastOrDefault();
        var before = attempts.Count > 1 ? attempts[^2] : null;
        var status = new V1ContainerStatus
        {
            Name = spec.Name,
            Image = spec.Image,
            ImageID = latest?.ImageRef ?? string.Empty,
            ContainerID = latest is null ? null : $"{runtime}://{latest.Id}",
            RestartCount = latest?.Attempt ?? 0,
            Ready = latest is { State: ContainerState.Running },
            Started = latest is { State: ContainerState.Running },
            LastState = new V1ContainerState { Terminated = before is null ? null : Terminated(before, runtime) },
        };
        status.State = latest switch
        {
            null => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = initializing ? "PodInitializing" : "ContainerCreating" } },
            { State: ContainerState.Running } => new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = latest.StartedAt?.UtcDateTime } },
            { State: ContainerState.Exited } when backOff.TryGetValue(spec.Name, out var message) =>
                new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = message } },
            { State: ContainerState.Exited } => new V1ContainerState { Terminated = Terminated(latest, runtime) },
            _ => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
        };
        if (status.State.Waiting?.Reason == "CrashLoopBackOff")
        {
            status.LastState = new V1ContainerState { Terminated = Terminated(latest!, runtime) };
        }

        return status;
    }

    /// <summary>Upstream getPhase.</summary>
    private static string Phase(V1Pod pod, IList<V1Container> initContainers, List<V1ContainerStatus> initStatuses, List<V1ContainerStatus> statuses, bool initDone)
    {
        var policy = pod.Spec.RestartPolicy ?? "Always";
        if (!initDone)
        {
            // An init container that failed for good fails the pod.
            var failedForGood = initStatuses.Any(s => s.State?.Terminated is { ExitCode: not 0 }) && policy == "Never";
            return failedForGood ? "Failed" : "Pending";
        }

        int running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var s in statuses)
        {
            if (s.State?.Running is not null)
            {
                running++;
            }
            else if (s.State?.Terminated is { } terminated)
            {
                stopped++;
                succeeded += terminated.ExitCode == 0 ? 1 : 0;
            }
            else if (s.LastState?.Terminated is not null)
            {
                stopped++;  // waiting to restart: counts as stopped, as upstream
            }
            else
            {
                waiting++;
            }
        }

        if (waiting > 0)
        {
            return "Pending";
        }

        if (running > 0)
        {
            return "Running";
        }

        if (stopped > 0)
        {
            return policy switch
            {
                "Always" => "Running",
                _ when stopped == succeeded => "Succeeded",
                "Never" => "Failed",
                _ => "Running",
            };
        }

        return "Pending";
    }

    private static V1ContainerStateTerminated Terminated(ContainerStatus c, string runtime) => new()
    {
        ExitCode = c.ExitCode,
        Reason = c.Reason ?? (c.ExitCode == 0 ? "Completed" : "Error"),
        Message = c.Message,
        StartedAt = c.StartedAt?.UtcDateTime,
        FinishedAt = c.FinishedAt?.UtcDateTime,
        ContainerID = $"{runtime}://{c.Id}",
    };

    internal static ContainerStatus? Latest(IReadOnlyList<ContainerStatus> containers, string name) =>
        containers.Where(c => c.Name == name).MaxBy(c => c.Attempt);

    private static V1PodCondition Condition(IList<V1PodCondition>? previous, string type, string status, string? reason, string? message, DateTime now)
    {
        var before = previous?.FirstOrDefault(c => c.Type == type);
        return new V1PodCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastTransitionTime = before is not null && before.Status == status && before.LastTransitionTime is { } since ? since : now,
        };
    }
}
