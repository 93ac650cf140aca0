using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Kubelet.Probes;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Pods;

/// <summary>Starting and stopping one pod's containers (upstream's computePodActions, startContainer and killContainer).</summary>
public sealed partial class PodWorkers
{
    /// <summary>The least grace a container gets after its preStop hook (upstream's minimumGracePeriodInSeconds).</summary>
    public static readonly TimeSpan MinimumGracePeriod = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Starts what should run now: before the pod is initialized, the next init container (a sidecar counts once
    /// started); after, any sidecar that stopped and every container due to (re)start. Returns the containers held
    /// back, and why.
    /// </summary>
    private async Task<Dictionary<string, ContainerWaiting>> StartContainersAsync(V1Pod pod, PodSandboxStatus sandbox, CancellationToken cancellationToken)
    {
        var waiting = new Dictionary<string, ContainerWaiting>(StringComparer.Ordinal);
        var containers = await _runtime.ListContainersAsync(sandbox.Id, cancellationToken);
        var policy = pod.Spec.RestartPolicy ?? "Always";
        var initialized = pod.Spec.Containers.Any(c => PodStatusBuilder.Latest(containers, c.Name) is not null);
        foreach (var init in pod.Spec.InitContainers ?? [])
        {
            var latest = PodStatusBuilder.Latest(containers, init.Name);
            if (PodStatusBuilder.IsSidecar(init))
            {
                if (latest is { State: ContainerState.Running })
                {
                    if (initialized || PodStatusBuilder.Started(init, latest, Probes, _runtimeName))
                    {
                        continue;
                    }

                    return waiting;  // the next waits for this one to start
                }

                var startedNow = await StartAsync(pod, sandbox, init, init: true, latest, waiting, cancellationToken);
                if (initialized || (startedNow && init.StartupProbe is null))
                {
                    continue;
                }

                return waiting;
            }

            if (initialized || latest is { State: ContainerState.Exited, ExitCode: 0 })
            {
                continue;
            }

            // A running init container holds the next; one that failed restarts unless the pod restarts nothing.
            if (latest is { State: ContainerState.Running } || (latest is { State: ContainerState.Exited } && policy == "Never"))
            {
                return waiting;
            }

            await StartAsync(pod, sandbox, init, init: true, latest, waiting, cancellationToken);
            return waiting;
        }

        foreach (var container in pod.Spec.Containers)
        {
            var latest = PodStatusBuilder.Latest(containers, container.Name);
            var due = latest switch
            {
                null or { State: ContainerState.Created } => true,
                { State: ContainerState.Exited } => policy == "Always" || (policy == "OnFailure" && latest.ExitCode != 0),
                _ => false,
            };
            if (due)
            {
                await StartAsync(pod, sandbox, container, init: false, latest, waiting, cancellationToken);
            }
        }

        await StopSidecarsWhenDoneAsync(pod, sandbox, cancellationToken);
        return waiting;
    }

    /// <summary>
    /// What a real container gets beyond its image and command (upstream's GenerateRunContainerOptions): its resolved
    /// environment, its command and args expanded against it, its working dir, and its volume mounts.
    /// </summary>
    private async Task<ContainerConfig> RealConfigAsync(V1Pod pod, PodSandboxStatus sandbox, V1Container spec, ContainerConfig config, CancellationToken cancellationToken)
    {
        var node = _node();
        var hostIps = (node?.Status?.Addresses ?? []).Where(a => a.Type == "InternalIP").Select(a => a.Address).ToList();
        var podIps = sandbox.Ip is { } ip ? new List<string> { ip } : [];
        var services = ServiceEnvironment.For(pod, _services?.List() ?? []);
        var env = await _environment!.ResolveAsync(pod, spec, services, hostIps, podIps, node, cancellationToken);
        var paths = _volumePaths.GetValueOrDefault(pod.Metadata.Uid) ?? new Dictionary<string, string>();
        var mounts = new List<ContainerMount>();
        foreach (var mount in spec.VolumeMounts ?? [])
        {
            if (!paths.TryGetValue(mount.Name, out var hostPath))
            {
                throw new ContainerConfigException($"cannot find volume \"{mount.Name}\" to mount into container \"{spec.Name}\"");
            }

            mounts.Add(new ContainerMount(mount.MountPath, SubPath(hostPath, mount, spec, env), mount.ReadOnlyProperty == true));
        }

        var (imageUid, imageUser) = await _runtime.ImageUserAsync(spec.Image, cancellationToken);
        if (ContainerRuntimeSpecs.NonRootViolation(pod, spec, imageUid, imageUser) is { } violation)
        {
            throw new ContainerConfigException(violation);
        }

        // The kubelet's /etc/hosts, unless the pod mounts its own or has no address yet.
        if (!mounts.Any(m => m.ContainerPath == "/etc/hosts") && (podIps.Count > 0 || pod.Spec.HostNetwork == true))
        {
            var hostsFile = Path.Combine(_volumes!.PodDir(pod.Metadata.Uid), "etc-hosts");
            var nodeHosts = pod.Spec.HostNetwork == true && File.Exists("/etc/hosts") ? await File.ReadAllTextAsync("/etc/hosts", cancellationToken) : string.Empty;
            await File.WriteAllTextAsync(hostsFile, PodNetworkFiles.Hosts(pod, podIps, _options.ClusterDomain, nodeHosts), cancellationToken);
            File.SetUnixFileMode(hostsFile, (UnixFileMode)Convert.ToInt32("644", 8));
            mounts.Add(new ContainerMount("/etc/hosts", hostsFile, false));
        }

        var memoryCapacity = node?.Status?.Capacity is { } capacity && capacity.TryGetValue("memory", out var memory) ? memory.ToDecimal() : 0;
        return config with
        {
            Resources = ContainerRuntimeSpecs.Resources(pod, spec, memoryCapacity),
            Security = ContainerRuntimeSpecs.Security(pod, spec),
            Command = ContainerEnvironment.Expand(spec.Command, env),
            Args = ContainerEnvironment.Expand(spec.Args, env),
            Envs = env,
            Mounts = mounts,
            WorkingDir = spec.WorkingDir,
            Stdin = spec.Stdin == true,
            StdinOnce = spec.StdinOnce == true,
            Tty = spec.Tty == true,
        };
    }

    /// <summary>Upstream's subPath handling: relative, no <c>..</c>, made as a directory inside the volume when missing.</summary>
    private static string SubPath(string volumePath, V1VolumeMount mount, V1Container spec, IReadOnlyList<KeyValuePair<string, string>> env)
    {
        var subPath = mount.SubPath;
        if (!string.IsNullOrEmpty(mount.SubPathExpr))
        {
            var values = env.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            var missing = new SortedSet<string>(StringComparer.Ordinal);
            subPath = Expansion.Expand(mount.SubPathExpr, name =>
            {
                if (values.TryGetValue(name, out var value) && value.Length > 0)
                {
                    return value;
                }

                missing.Add(name);
                return null;
            });
            if (missing.Count > 0)
            {
                throw new ContainerConfigException($"missing value for {string.Join(", ", missing)}");
            }
        }

        if (string.IsNullOrEmpty(subPath))
        {
            return volumePath;
        }

        if (subPath.StartsWith('/'))
        {
            throw new ContainerConfigException($"error SubPath `{subPath}` must not be an absolute path");
        }

        if (subPath.Split('/').Contains(".."))
        {
            throw new ContainerConfigException($"unable to provision SubPath `{subPath}`: must not contain '..'");
        }

        var full = Path.Combine(volumePath, subPath);
        if (!Path.Exists(full))
        {
            try
            {
                Directory.CreateDirectory(full, File.GetUnixFileMode(volumePath));
            }
            catch (IOException)
            {
                throw new ContainerConfigException($"failed to create subPath directory for volumeMount \"{mount.Name}\" of container \"{spec.Name}\"");
            }
        }

        return full;
    }

    /// <summary>Once every container of a pod that does not restart them has ended for good, its sidecars stop, last started first.</summary>
    private async Task StopSidecarsWhenDoneAsync(V1Pod pod, PodSandboxStatus sandbox, CancellationToken cancellationToken)
    {
        var policy = pod.Spec.RestartPolicy ?? "Always";
        if (policy == "Always" || pod.Spec.InitContainers is not { Count: > 0 } initContainers)
        {
            return;
        }

        var containers = await _runtime.ListContainersAsync(sandbox.Id, cancellationToken);
        var done = pod.Spec.Containers.All(c => PodStatusBuilder.Latest(containers, c.Name) is { State: ContainerState.Exited } ended && (policy == "Never" || ended.ExitCode == 0));
        if (!done)
        {
            return;
        }

        foreach (var sidecar in initContainers.Where(PodStatusBuilder.IsSidecar).Reverse())
        {
            if (PodStatusBuilder.Latest(containers, sidecar.Name) is { State: ContainerState.Running } running)
            {
                await KillAsync(pod, sandbox, sidecar, init: true, running, GracePeriod(pod), null, cancellationToken);
            }
        }
    }

    /// <summary>Pulls, creates and starts one container, then runs its postStart hook; false when it is held back.</summary>
    private async Task<bool> StartAsync(V1Pod pod, PodSandboxStatus sandbox, V1Container spec, bool init, ContainerStatus? latest, Dictionary<string, ContainerWaiting> waiting, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var key = $"{pod.Metadata.Uid}/{spec.Name}";
        var reference = PodNames.Reference(pod, spec.Name, init);
        if (latest is { State: ContainerState.Exited, FinishedAt: { } finished })
        {
            var (backingOff, delay) = _backOff.Check(key, finished, now);
            if (backingOff)
            {
                waiting[spec.Name] = new ContainerWaiting("CrashLoopBackOff", $"back-off {GoDuration.Format(delay)} restarting failed container={spec.Name} pod={PodNames.Format(pod)}", delay - (now - finished));
                _events.Event(reference, EventTypes.Warning, "BackOff", $"Back-off restarting failed container {spec.Name} in pod {PodNames.Format(pod)}");
                return false;
            }

            _backOff.Restarted(key, now);
        }

        string id;
        if (latest is { State: ContainerState.Created })
        {
            id = latest.Id;
        }
        else
        {
            var (imageRef, held) = await _images.EnsureAsync(pod, spec, reference, cancellationToken);
            if (held is not null || imageRef is null)
            {
                waiting[spec.Name] = held ?? new ContainerWaiting("ErrImagePull", "no image");
                return false;
            }

            var attempt = latest is null ? 0 : latest.Attempt + 1;
            var config = new ContainerConfig(spec.Name, spec.Image, [.. spec.Command ?? []], [.. spec.Args ?? []], attempt, spec.TerminationMessagePath ?? "/dev/termination-log");
            if (_environment is not null)
            {
                try
                {
                    config = await RealConfigAsync(pod, sandbox, spec, config, cancellationToken);
                }
                catch (ContainerConfigException e)
                {
                    _events.Event(reference, EventTypes.Warning, "Failed", $"Error: {e.Message}");
                    waiting[spec.Name] = new ContainerWaiting("CreateContainerConfigError", e.Message);
                    return false;
                }
            }

            id = await _runtime.CreateContainerAsync(sandbox.Id, config, cancellationToken);
            _events.Event(reference, EventTypes.Normal, "Created", $"Created container: {spec.Name}");
        }

        await _runtime.StartContainerAsync(id, cancellationToken);
        _events.Event(reference, EventTypes.Normal, "Started", $"Started container {spec.Name}");
        LogStarted(_log, ObjectKeys.Of(pod), spec.Name, latest is null ? 0 : latest.Attempt + 1);
        if (spec.Lifecycle?.PostStart is { } postStart)
        {
            var failed = await _prober.RunHookAsync(postStart, pod, sandbox.Ip, spec, id, cancellationToken);
            if (failed is not null)
            {
                // The hook's output stays out of the event, which anyone reading events sees (upstream).
                _events.Event(reference, EventTypes.Warning, "FailedPostStartHook", "PostStartHook failed");
                waiting[spec.Name] = new ContainerWaiting("PostStartHookError", failed);
                var instance = (await _runtime.ListContainersAsync(sandbox.Id, cancellationToken)).First(c => c.Id == id);
                await KillAsync(pod, sandbox, spec, init, instance, GracePeriod(pod), "FailedPostStartHook", cancellationToken);
                return false;
            }
        }

        return true;
    }

    /// <summary>Kills the running containers whose liveness or startup probe has failed; they restart per policy.</summary>
    private async Task KillUnhealthyAsync(V1Pod pod, PodSandboxStatus sandbox, CancellationToken cancellationToken)
    {
        var containers = await _runtime.ListContainersAsync(sandbox.Id, cancellationToken);
        foreach (var (spec, init) in ProbeManager.Probed(pod.Spec))
        {
            if (PodStatusBuilder.Latest(containers, spec.Name) is not { State: ContainerState.Running } latest)
            {
                continue;
            }

            var id = $"{_runtimeName}://{latest.Id}";
            var (failed, probe) = spec.LivenessProbe is { } live && Probes.Get(id, ProbeKind.Liveness) == ProbeOutcome.Failure ? ("liveness", live)
                : spec.StartupProbe is { } startup && Probes.Get(id, ProbeKind.Startup) == ProbeOutcome.Failure ? ("startup", startup)
                : (null, null);
            if (failed is not null)
            {
                var grace = probe!.TerminationGracePeriodSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : GracePeriod(pod);
                var restarts = init || pod.Spec.RestartPolicy != "Never";
                var message = $"{(init ? "Init container" : "Container")} {spec.Name} failed {failed} probe{(restarts ? ", will be restarted" : string.Empty)}";
                await KillAsync(pod, sandbox, spec, init, latest, grace, message, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Stops one container (upstream killContainer): its preStop hook first, within the grace period, then SIGTERM with
    /// what is left of it (at least <see cref="MinimumGracePeriod"/>), then SIGKILL.
    /// </summary>
    private async Task KillAsync(V1Pod pod, PodSandboxStatus sandbox, V1Container spec, bool init, ContainerStatus container, TimeSpan grace, string? message, CancellationToken cancellationToken)
    {
        var reference = PodNames.Reference(pod, spec.Name, init);
        _events.Event(reference, EventTypes.Normal, "Killing", message ?? $"Stopping container {spec.Name}");
        var began = _time.GetUtcNow();
        if (spec.Lifecycle?.PreStop is { } preStop && container.State == ContainerState.Running && grace > TimeSpan.Zero)
        {
            using var within = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var deadline = new CancellationTokenSource(grace, _time);
            using var registration = deadline.Token.Register(within.Cancel);
            try
            {
                if (await _prober.RunHookAsync(preStop, pod, sandbox.Ip, spec, container.Id, within.Token) is { } failed)
                {
                    _events.Event(reference, EventTypes.Warning, "FailedPreStopHook", "PreStopHook failed");
                    LogPreStopFailed(_log, ObjectKeys.Of(pod), spec.Name, failed);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogPreStopTimedOut(_log, ObjectKeys.Of(pod), spec.Name);
            }

            grace -= TimeSpan.FromSeconds(Math.Floor((_time.GetUtcNow() - began).TotalSeconds));  // whole seconds, as upstream
        }

        await _runtime.StopContainerAsync(container.Id, grace < MinimumGracePeriod ? MinimumGracePeriod : grace, cancellationToken);
    }

    /// <summary>How long a pod's containers get to stop: what the deletion says, else the spec (30 s by default); 2 s at least.</summary>
    private static TimeSpan GracePeriod(V1Pod pod) =>
        TimeSpan.FromSeconds(Math.Max(pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30, 2));

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: container {Container} started (restart {Restart})")]
    private static partial void LogStarted(ILogger log, string pod, string container, int restart);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: preStop hook of container {Container} failed: {Error}")]
    private static partial void LogPreStopFailed(ILogger log, string pod, string container, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: preStop hook of container {Container} did not finish within the grace period")]
    private static partial void LogPreStopTimedOut(ILogger log, string pod, string container);
}
