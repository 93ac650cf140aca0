using Flotilla.Api;
using Flotilla.Kubelet.Probes;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Status;

/// <summary>
/// A pod's status from what the runtime holds (upstream generateAPIPodStatus and getPhase): container states with
/// reasons, restart counts and last states, <c>started</c> and <c>ready</c> from the probes; the phase; the
/// PodReadyToStartContainers, Initialized, ContainersReady and Ready conditions (each keeping its transition time
/// while it holds); the pod IP and start time. Sidecars (restartable init containers) count as initialized once
/// started, and towards readiness.
/// </summary>
public static class PodStatusBuilder
{
    /// <param name="containers">Every container instance of the pod's current sandbox, all attempts.</param>
    /// <param name="waiting">Containers the kubelet holds back, and why (restart or pull back-off, image errors).</param>
    /// <param name="probes">Settled probe results, for <c>started</c> and <c>ready</c>; null when nothing is probed.</param>
    /// <param name="runtime">The runtime's name, the scheme of container IDs (<c>containerd://</c>, <c>hollow://</c>).</param>
    /// <param name="failure">The kubelet failed the pod itself (e.g. its active deadline passed): phase Failed, with this reason.</param>
    public static V1PodStatus Build(V1Pod pod, PodSandboxStatus? sandbox, IReadOnlyList<ContainerStatus> containers, IReadOnlyDictionary<string, ContainerWaiting> waiting, IProbeResults? probes, string runtime, DateTimeOffset now, PodFailure? failure = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(waiting);
        var stamp = Timestamps.Of(now);
        var spec = pod.Spec;
        var initContainers = spec.InitContainers ?? [];
        var context = new Context(containers, waiting, probes, runtime);
        var initStatuses = initContainers.Select(c => Container(c, context, initializing: false, regularInit: !IsSidecar(c))).ToList();
        var statuses = spec.Containers.Select(c => Container(c, context, initializing: initContainers.Count > 0, regularInit: false)).ToList();
        var phase = failure is null ? Phase(pod, initContainers, initStatuses, statuses) : "Failed";

        var previous = pod.Status?.Conditions;
        var unready = initStatuses.Where(s => IsSidecar(initContainers.First(c => c.Name == s.Name)) && s.Ready != true)
            .Concat(statuses.Where(s => s.Ready != true)).Select(s => s.Name).ToList();
        // Upstream's order: others' conditions (readiness gates, DisruptionTarget, ...), then the kubelet's.
        var conditions = (previous ?? []).Where(c => c.Type is not ("PodScheduled" or "PodReadyToStartContainers" or "Initialized" or "ContainersReady" or "Ready")).ToList();
        conditions.Add(Condition(previous, "PodReadyToStartContainers", sandbox is { Ready: true } ? "True" : "False", null, null, stamp));
        var incomplete = initContainers.Zip(initStatuses).Where(x => IsSidecar(x.First) ? x.Second.Started != true : x.Second.Ready != true).Select(x => x.First.Name).ToList();
        conditions.Add(
            phase == "Succeeded" ? Condition(previous, "Initialized", "True", "PodCompleted", null, stamp)
            : incomplete.Count == 0 || AnyRegularContainerStarted(statuses) ? Condition(previous, "Initialized", "True", null, null, stamp)
            : Condition(previous, "Initialized", "False", "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]", stamp));
        var containersReady = phase switch
        {
            "Succeeded" => Condition(previous, "ContainersReady", "False", "PodCompleted", null, stamp),
            "Failed" => Condition(previous, "ContainersReady", "False", "PodFailed", null, stamp),
            _ when unready.Count > 0 => Condition(previous, "ContainersReady", "False", "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]", stamp),
            _ => Condition(previous, "ContainersReady", "True", null, null, stamp),
        };
        conditions.Add(Ready(pod, containersReady, previous, stamp));
        conditions.Add(containersReady);
        conditions.Add(Condition(previous, "PodScheduled", "True", null, null, stamp));

        return new V1PodStatus
        {
            Phase = phase,
            Reason = failure?.Reason,
            Message = failure?.Message,
            Conditions = conditions,
            PodIP = sandbox?.Ip,
            PodIPs = sandbox?.Ip is { } ip ? [new V1PodIP { Ip = ip }] : null,
            StartTime = pod.Status?.StartTime ?? stamp,
            QosClass = pod.Status?.QosClass,
            InitContainerStatuses = initStatuses.Count == 0 ? null : initStatuses,
            ContainerStatuses = statuses,
        };
    }

    /// <summary>Upstream GeneratePodReadyCondition: ContainersReady, then every readiness gate's condition True.</summary>
    private static V1PodCondition Ready(V1Pod pod, V1PodCondition containersReady, IList<V1PodCondition>? previous, DateTime stamp)
    {
        if (containersReady.Status != "True")
        {
            return Condition(previous, "Ready", containersReady.Status, containersReady.Reason, containersReady.Message, stamp);
        }

        var unmet = new List<string>();
        foreach (var gate in pod.Spec.ReadinessGates ?? [])
        {
            var condition = previous?.FirstOrDefault(c => c.Type == gate.ConditionType);
            if (condition is null)
            {
                unmet.Add($"corresponding condition of pod readiness gate \"{gate.ConditionType}\" does not exist.");
            }
            else if (condition.Status != "True")
            {
                unmet.Add($"the status of pod readiness gate \"{gate.ConditionType}\" is not \"True\", but {condition.Status}");
            }
        }

        return unmet.Count == 0
            ? Condition(previous, "Ready", "True", null, null, stamp)
            : Condition(previous, "Ready", "False", "ReadinessGatesNotReady", string.Join(", ", unmet), stamp);
    }

    /// <summary>A sidecar: an init container that keeps running beside the containers (<c>restartPolicy: Always</c>).</summary>
    public static bool IsSidecar(V1Container container) => container?.RestartPolicy == "Always";

    /// <summary>
    /// Whether a container instance has started: it runs, and its startup probe (if any) has succeeded
    /// (upstream's prober manager UpdatePodStatus).
    /// </summary>
    public static bool Started(V1Container spec, ContainerStatus? instance, IProbeResults? probes, string runtime)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return instance is { State: ContainerState.Running }
            && (spec.StartupProbe is null || probes?.Get($"{runtime}://{instance.Id}", ProbeKind.Startup) == ProbeOutcome.Success);
    }

    private static V1ContainerStatus Container(V1Container spec, Context context, bool initializing, bool regularInit)
    {
        var attempts = context.Containers.Where(c => c.Name == spec.Name).OrderBy(c => c.Attempt).ToList();
        var latest = attempts.LastOrDefault();
        var before = attempts.Count > 1 ? attempts[^2] : null;
        var started = Started(spec, latest, context.Probes, context.Runtime);
        var ready = regularInit
            ? latest is { State: ContainerState.Exited, ExitCode: 0 }
            : started && (spec.ReadinessProbe is null || context.Probes?.Get($"{context.Runtime}://{latest!.Id}", ProbeKind.Readiness) == ProbeOutcome.Success);
        var status = new V1ContainerStatus
        {
            Name = spec.Name,
            Image = spec.Image,
            ImageID = latest?.ImageRef ?? string.Empty,
            ContainerID = latest is null ? null : $"{context.Runtime}://{latest.Id}",
            RestartCount = latest?.Attempt ?? 0,
            Ready = ready,
            Started = latest is { State: ContainerState.Running } ? started : false,
            LastState = new V1ContainerState { Terminated = before is null ? null : Terminated(before, context.Runtime) },
        };
        var held = context.Waiting.TryGetValue(spec.Name, out var why) ? why : null;
        status.State = latest switch
        {
            { State: ContainerState.Running } => new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = latest.StartedAt?.UtcDateTime } },
            _ when held is not null => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = held.Reason, Message = held.Message } },
            null => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = initializing ? "PodInitializing" : "ContainerCreating" } },
            { State: ContainerState.Exited } => new V1ContainerState { Terminated = Terminated(latest, context.Runtime) },
            _ => new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } },
        };
        if (status.State.Waiting is not null && latest is { State: ContainerState.Exited })
        {
            status.LastState = new V1ContainerState { Terminated = Terminated(latest, context.Runtime) };
        }

        return status;
    }

    /// <summary>Upstream getPhase (v1.32): sidecars count as running, or as pending until they have started.</summary>
    private static string Phase(V1Pod pod, IList<V1Container> initContainers, List<V1ContainerStatus> initStatuses, List<V1ContainerStatus> statuses)
    {
        var policy = pod.Spec.RestartPolicy ?? "Always";
        int pendingSidecars = 0, pendingInit = 0, failedInit = 0;
        int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var (spec, s) in initContainers.Zip(initStatuses))
        {
            if (IsSidecar(spec))
            {
                switch (s.State)
                {
                    case { Running: not null }:
                        pendingSidecars += s.Started == true ? 0 : 1;
                        running++;
                        break;
                    case { Terminated: not null }:
                        break;
                    case { Waiting: not null } when s.LastState?.Terminated is not null:
                        break;
                    case { Waiting: not null }:
                        pendingSidecars++;
                        waiting++;
                        break;
                    default:
                        pendingSidecars++;
                        unknown++;
                        break;
                }

                continue;
            }

            switch (s.State)
            {
                case { Running: not null }:
                    pendingInit++;
                    break;
                case { Terminated: { } terminated }:
                    failedInit += terminated.ExitCode != 0 ? 1 : 0;
                    break;
                case { Waiting: not null } when s.LastState?.Terminated is { } last:
                    failedInit += last.ExitCode != 0 ? 1 : 0;
                    break;
                default:
                    pendingInit++;
                    break;
            }
        }

        foreach (var s in statuses)
        {
            switch (s.State)
            {
                case { Running: not null }:
                    running++;
                    break;
                case { Terminated: { } terminated }:
                    stopped++;
                    succeeded += terminated.ExitCode == 0 ? 1 : 0;
                    break;
                case { Waiting: not null } when s.LastState?.Terminated is not null:
                    stopped++;  // waiting to restart
                    break;
                case { Waiting: not null }:
                    waiting++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        if (failedInit > 0 && policy == "Never")
        {
            return "Failed";
        }

        if (pendingInit > 0 || (pendingSidecars > 0 && !AnyRegularContainerStarted(statuses)) || waiting > 0)
        {
            return "Pending";
        }

        if (running > 0 && unknown == 0)
        {
            return "Running";
        }

        if (running == 0 && stopped > 0 && unknown == 0)
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

    /// <summary>Upstream HasAnyRegularContainerStarted: a container has run, so the init containers are done.</summary>
    private static bool AnyRegularContainerStarted(List<V1ContainerStatus> statuses) =>
        statuses.Any(s => s.State?.Running is not null || s.State?.Terminated is not null);

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

    private sealed record Context(IReadOnlyList<ContainerStatus> Containers, IReadOnlyDictionary<string, ContainerWaiting> Waiting, IProbeResults? Probes, string Runtime);
}
