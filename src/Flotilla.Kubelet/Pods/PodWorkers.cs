using System.Collections.Concurrent;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// The pods bound to this node, run through the runtime (upstream's pod workers and syncPod): a sandbox, the init
/// containers in order, then the containers, restarted per <c>restartPolicy</c> with back-off; the status written
/// through <c>pods/status</c> when it changed; a deleted pod's containers stopped within its grace period and the pod
/// object then removed. A relist of the runtime every second (the PLEG) wakes the pods whose containers changed on
/// their own. The queue never gives one pod to two workers, so each pod progresses on its own.
/// </summary>
public sealed partial class PodWorkers
{
    public static readonly TimeSpan RelistPeriod = TimeSpan.FromSeconds(1);

    private readonly Lister<V1Pod> _pods;
    private readonly IKubernetes _client;
    private readonly IContainerRuntime _runtime;
    private readonly string _runtimeName;
    private readonly RestartBackOff _backOff;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, string> _written = new(StringComparer.Ordinal);
    private Dictionary<string, string> _lastRelist = new(StringComparer.Ordinal);

    public PodWorkers(Lister<V1Pod> pods, IKubernetes client, IContainerRuntime runtime, string runtimeName, RestartBackOff backOff, TimeProvider time, ILogger log)
    {
        _pods = pods;
        _client = client;
        _runtime = runtime;
        _runtimeName = runtimeName;
        _backOff = backOff;
        _time = time;
        _log = log;
        Queue = new WorkQueue<string>("pod_workers", time);
    }

    public WorkQueue<string> Queue { get; }

    public static async Task RunAsync(IKubernetes client, IContainerRuntime runtime, string nodeName, RestartBackOff backOff, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(client, time);
        var pods = informers.Informer<V1Pod>(new InformerOptions { FieldSelector = "spec.nodeName=" + nodeName });
        var version = await runtime.VersionAsync(cancellationToken);
        var workers = new PodWorkers(pods.Lister, client, runtime, version.Name, backOff, time, log);
        using var queue = workers.Queue;
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => queue.Add(ObjectKeys.Of(pod)),
            OnUpdate = (_, pod) => queue.Add(ObjectKeys.Of(pod)),
            OnDelete = pod => queue.Add(ObjectKeys.Of(pod)),
        });
        informers.Start();
        try
        {
            await informers.WaitForCacheSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(
            new ControllerLoop("pod-workers", queue, workers.SyncAsync, log).RunAsync(4, cancellationToken),
            Periodic.RunAsync(RelistPeriod, workers.RelistAsync, e => LogRelistFailed(log, e.Message), time, cancellationToken));
    }

    /// <summary>One pass over one pod (upstream syncPod / syncTerminatingPod); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var pod = _pods.Get(ns, name);
        var sandboxes = (await _runtime.ListPodSandboxesAsync(cancellationToken)).Where(s => s.Config.Namespace == ns && s.Config.Name == name).ToList();

        // What belongs to no pod here any more (deleted, or an earlier pod of the same name) goes.
        foreach (var stale in sandboxes.Where(s => pod is null || s.Config.Uid != pod.Metadata.Uid))
        {
            await _runtime.RemovePodSandboxAsync(stale.Id, cancellationToken);
            _backOff.Forget(stale.Config.Uid + "/");
            _written.TryRemove(stale.Config.Uid, out _);
        }

        if (pod is null)
        {
            return;
        }

        var mine = sandboxes.Where(s => s.Config.Uid == pod.Metadata.Uid).ToList();
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            await TerminateAsync(pod, mine, cancellationToken);
            return;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            foreach (var sandbox in mine.Where(s => s.Ready))
            {
                await _runtime.StopPodSandboxAsync(sandbox.Id, cancellationToken);
            }

            return;
        }

        var status = await _runtime.StatusAsync(cancellationToken);
        if (!status.Ready || !status.NetworkReady)
        {
            Queue.AddAfter(key, RelistPeriod);  // no pod starts before the runtime and its network are ready
            return;
        }

        var current = mine.FirstOrDefault(s => s.Ready);
        if (current is null)
        {
            var attempt = mine.Count;
            var id = await _runtime.RunPodSandboxAsync(new PodSandboxConfig(name, ns, pod.Metadata.Uid, pod.Spec.Hostname ?? name, attempt), cancellationToken);
            current = (await _runtime.ListPodSandboxesAsync(cancellationToken)).First(s => s.Id == id);
            LogSandbox(_log, key, current.Ip ?? "(none)");
        }

        var backOff = await StartContainersAsync(pod, current.Id, cancellationToken);
        var containers = await _runtime.ListContainersAsync(current.Id, cancellationToken);
        var podStatus = PodStatusBuilder.Build(pod, current, containers, backOff, _runtimeName, _time.GetUtcNow());
        await WriteStatusAsync(pod, podStatus, cancellationToken);
        if (podStatus.Phase is "Succeeded" or "Failed")
        {
            await _runtime.StopPodSandboxAsync(current.Id, cancellationToken);
        }

        if (backOff.Count > 0)
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Starts what should run now: the next init container, or every container due to (re)start.</summary>
    private async Task<Dictionary<string, string>> StartContainersAsync(V1Pod pod, string sandboxId, CancellationToken cancellationToken)
    {
        var backOff = new Dictionary<string, string>(StringComparer.Ordinal);
        var containers = await _runtime.ListContainersAsync(sandboxId, cancellationToken);
        var policy = pod.Spec.RestartPolicy ?? "Always";
        foreach (var init in pod.Spec.InitContainers ?? [])
        {
            var latest = PodStatusBuilder.Latest(containers, init.Name);
            if (latest is { State: ContainerState.Exited, ExitCode: 0 })
            {
                continue;
            }

            if (latest is { State: ContainerState.Running })
            {
                return backOff;  // the next waits for this one
            }

            // Init containers restart unless the pod never restarts anything.
            if (latest is { State: ContainerState.Exited } && policy == "Never")
            {
                return backOff;
            }

            await StartAsync(pod, sandboxId, init, latest, backOff, cancellationToken);
            return backOff;
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
                await StartAsync(pod, sandboxId, container, latest, backOff, cancellationToken);
            }
        }

        return backOff;
    }

    private async Task StartAsync(V1Pod pod, string sandboxId, V1Container spec, ContainerStatus? latest, Dictionary<string, string> backOff, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var key = $"{pod.Metadata.Uid}/{spec.Name}";
        if (latest is { State: ContainerState.Exited, FinishedAt: { } finished })
        {
            var (waiting, delay) = _backOff.Check(key, finished, now);
            if (waiting)
            {
                backOff[spec.Name] = $"back-off {Go(delay)} restarting failed container={spec.Name} pod={pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})";
                return;
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
            await _runtime.PullImageAsync(spec.Image, cancellationToken);
            var attempt = latest is null ? 0 : latest.Attempt + 1;
            id = await _runtime.CreateContainerAsync(sandboxId, new ContainerConfig(spec.Name, spec.Image, [.. spec.Command ?? []], [.. spec.Args ?? []], attempt), cancellationToken);
        }

        await _runtime.StartContainerAsync(id, cancellationToken);
        LogStarted(_log, ObjectKeys.Of(pod), spec.Name, latest is null ? 0 : latest.Attempt + 1);
    }

    /// <summary>A pod being deleted: its containers stop within its grace period, then the kubelet removes the pod object.</summary>
    private async Task TerminateAsync(V1Pod pod, List<PodSandboxStatus> sandboxes, CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(pod.Metadata.DeletionGracePeriodSeconds ?? pod.Spec.TerminationGracePeriodSeconds ?? 30);
        foreach (var sandbox in sandboxes)
        {
            foreach (var container in (await _runtime.ListContainersAsync(sandbox.Id, cancellationToken)).Where(c => c.State == ContainerState.Running))
            {
                await _runtime.StopContainerAsync(container.Id, grace, cancellationToken);
            }

            await _runtime.RemovePodSandboxAsync(sandbox.Id, cancellationToken);
        }

        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } }, cancellationToken: cancellationToken);
            LogDeleted(_log, ObjectKeys.Of(pod));
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            // Gone already, or replaced by another pod of the same name.
        }

        _backOff.Forget(pod.Metadata.Uid + "/");
        _written.TryRemove(pod.Metadata.Uid, out _);
    }

    /// <summary>Writes the status when it differs from what this kubelet last wrote (upstream's status manager).</summary>
    private async Task WriteStatusAsync(V1Pod pod, V1PodStatus status, CancellationToken cancellationToken)
    {
        var json = KubernetesJson.Serialize(status);
        if (_written.TryGetValue(pod.Metadata.Uid, out var last) && last == json)
        {
            return;
        }

        var patch = KubernetesJson.Serialize(new V1Pod { Metadata = new V1ObjectMeta { Uid = pod.Metadata.Uid }, Status = status });
        try
        {
            await _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            _written[pod.Metadata.Uid] = json;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
        {
            // The pod went (or was replaced) meanwhile; its own sync follows.
        }
    }

    /// <summary>The PLEG: relists the runtime and wakes every pod whose containers changed, or that the API no longer has.</summary>
    private async Task RelistAsync(CancellationToken cancellationToken)
    {
        var sandboxes = await _runtime.ListPodSandboxesAsync(cancellationToken);
        var containers = await _runtime.ListContainersAsync(null, cancellationToken);
        var now = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sandbox in sandboxes)
        {
            var key = ObjectKeys.Of(sandbox.Config.Namespace, sandbox.Config.Name);
            var state = string.Join(',', containers.Where(c => c.SandboxId == sandbox.Id).OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => $"{c.Id}:{c.State}"));
            now[key] = now.TryGetValue(key, out var other) ? other + ";" + state : state;
        }

        foreach (var (key, state) in now)
        {
            if (!_lastRelist.TryGetValue(key, out var before) || before != state)
            {
                Queue.Add(key);
            }
        }

        _lastRelist = now;
    }

    /// <summary>A duration as Go prints it (<c>10s</c>, <c>1m20s</c>, <c>5m0s</c>).</summary>
    private static string Go(TimeSpan d) => d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}m{d.Seconds}s" : $"{(int)d.TotalSeconds}s";

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: sandbox ready, IP {Ip}")]
    private static partial void LogSandbox(ILogger log, string pod, string ip);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: container {Container} started (restart {Restart})")]
    private static partial void LogStarted(ILogger log, string pod, string container, int restart);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod workers: relisting the runtime failed: {Error}")]
    private static partial void LogRelistFailed(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: terminated and deleted")]
    private static partial void LogDeleted(ILogger log, string pod);
}
