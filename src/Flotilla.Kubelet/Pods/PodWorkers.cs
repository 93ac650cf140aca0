using System.Collections.Concurrent;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Probes;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Status;
using Flotilla.Kubelet.Volumes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// The pods bound to this node, run through the runtime (upstream's pod workers and syncPod): a sandbox, the init
/// containers in order (sidecars kept running), then the containers, restarted per <c>restartPolicy</c> with back-off
/// or when their liveness probe fails; the status handed to the <see cref="PodStatusWriter"/>; a deleted pod's
/// containers stopped within its grace period (preStop hooks first) and the pod object then removed. A relist of the
/// runtime every second (the PLEG) wakes the pods whose containers changed on their own. The queue never gives one pod
/// to two workers, so each pod progresses on its own; terminations run beside the queue, as they take a grace period.
/// </summary>
public sealed partial class PodWorkers
{
    public static readonly TimeSpan RelistPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How soon a pod with a container held back is looked at again: when its back-off ends, else after a second.</summary>
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinimumRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>How soon a pod whose volumes could not be set up tries again.</summary>
    private static readonly TimeSpan MountRetry = TimeSpan.FromSeconds(2);

    /// <summary>Upstream's syncFrequency: a real node's pod is synced this often, so its volume files follow their sources.</summary>
    private static readonly TimeSpan VolumeResync = TimeSpan.FromMinutes(1);

    private readonly Lister<V1Pod> _pods;
    private readonly IKubernetes _client;
    private readonly IContainerRuntime _runtime;
    private readonly string _runtimeName;
    private readonly RestartBackOff _backOff;
    private readonly ImagePuller _images;
    private readonly Prober _prober;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly PodStatusWriter _statuses;
    private readonly ServiceAccountTokens _tokens;

    // A real node's volumes and container environments; hollow nodes have neither (no files, no processes).
    private readonly PodVolumes? _volumes;
    private readonly ContainerEnvironment? _environment;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _volumePaths = new(StringComparer.Ordinal);
    private Lister<V1Service>? _services;
    private readonly ConcurrentDictionary<string, Task> _terminating = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _admitted = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _admitting = new(1, 1);
    private readonly Func<V1Node?> _node;
    private readonly KubeletOptions _options;
    private readonly StaticPods? _static;
    private Dictionary<string, string> _lastRelist = new(StringComparer.Ordinal);

    /// <param name="node">The node as last registered or reported, for admission.</param>
    public PodWorkers(Lister<V1Pod> pods, IKubernetes client, IContainerRuntime runtime, string runtimeName, INetworkProber network, IEventRecorder events, Func<V1Node?> node, KubeletOptions options, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pods = pods;
        _node = node;
        _options = options;
        _client = client;
        _runtime = runtime;
        _runtimeName = runtimeName;
        _backOff = new RestartBackOff(options.RestartBackOffInitial, options.RestartBackOffMax);
        _images = new ImagePuller(runtime, events, new RestartBackOff(options.ImagePullBackOffInitial, options.ImagePullBackOffMax), time, ReadPullSecretAsync);
        _prober = new Prober(runtime, network, time);
        _events = events;
        _time = time;
        _log = log;
        _statuses = new PodStatusWriter(client, time, log);
        _tokens = new ServiceAccountTokens(client, time, log);
        if (options.RootDir is { } root)
        {
            _volumes = new PodVolumes(root, client, _tokens);
            _environment = new ContainerEnvironment(client);
        }

        _static = options.StaticPodPath is { } manifests ? new StaticPods(manifests, options.NodeName, time, log) : null;
        Queue = new WorkQueue<string>("pod_workers", time);
        Probes = new ProbeManager(_prober, time, events, key => Queue.Add(key), log);
    }

    public WorkQueue<string> Queue { get; }

    public ProbeManager Probes { get; }

    /// <param name="informers">The kubelet's informer factory: the pod informer joins it and it is started here.</param>
    /// <param name="endpoint">The node's kubelet API, which answers from these workers once they run; or none.</param>
    public static async Task RunAsync(IKubernetes client, SharedInformerFactory informers, IContainerRuntime runtime, INetworkProber network, IEventRecorder events, Func<V1Node?> node, KubeletOptions options, TimeProvider time, ILogger log, CancellationToken cancellationToken, Server.NodeEndpoint? endpoint = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(informers);
        var pods = informers.Informer<V1Pod>(new InformerOptions { FieldSelector = "spec.nodeName=" + options.NodeName });
        var version = await runtime.VersionAsync(cancellationToken);
        var workers = new PodWorkers(pods.Lister, client, runtime, version.Name, network, events, node, options, time, log);
        if (options.RootDir is not null)
        {
            // Upstream's kubelet watches Services for its pods' service environment variables.
            workers._services = informers.Informer<V1Service>().Lister;
        }

        using var queue = workers.Queue;
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => queue.Add(ObjectKeys.Of(pod)),
            OnUpdate = (before, pod) =>
            {
                if (PodUpdates.NeedsSync(before, pod))
                {
                    queue.Add(ObjectKeys.Of(pod));
                }
            },
            OnDelete = pod => queue.Add(ObjectKeys.Of(pod)),
        });
        informers.Start();
        try
        {
            await informers.WaitForCacheSyncAsync(cancellationToken);
            endpoint?.Serve(new Server.NodeApi(options.NodeName, workers, runtime, time));
            await Task.WhenAll(
                new ControllerLoop("pod-workers", queue, workers.SyncAsync, log).RunAsync(4, cancellationToken),
                workers._statuses.RunAsync(cancellationToken),
                Periodic.RunAsync(ServiceAccountTokens.GcPeriod, workers._tokens.RefreshAsync, e => LogTokensFailed(log, e.Message), time, cancellationToken),
                workers._static is null ? Task.CompletedTask : Periodic.RunAsync(StaticPods.CheckPeriod, workers.ReadStaticPodsAsync, e => LogStaticFailed(log, e.Message), time, cancellationToken),
                Periodic.RunAsync(RelistPeriod, workers.RelistAsync, e => LogRelistFailed(log, e.Message), time, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            workers.Probes.StopAll();
            await Task.WhenAll(workers._terminating.Values).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>One pass over one pod (upstream syncPod / syncTerminatingPod); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var pod = Resolve(key);
        if (_static is not null)
        {
            await ReconcileMirrorAsync(key, pod, cancellationToken);
        }

        var sandboxes = (await _runtime.ListPodSandboxesAsync(cancellationToken)).Where(s => s.Config.Namespace == ns && s.Config.Name == name).ToList();
        if (pod is null && _static?.Removed(key) is { } removed)
        {
            // A static pod whose manifest went stops as a deleted pod does: preStop, grace period, then gone.
            var its = sandboxes.Where(s => s.Config.Uid == removed.Metadata.Uid).ToList();
            if (its.Count > 0)
            {
                BeginTermination(removed, its, cancellationToken);
                return;
            }

            _static.Stopped(key);
        }

        // What belongs to no pod here any more (deleted, or an earlier pod of the same name) goes.
        foreach (var stale in sandboxes.Where(s => pod is null || s.Config.Uid != pod.Metadata.Uid))
        {
            if (!_terminating.ContainsKey(stale.Config.Uid))
            {
                await _runtime.RemovePodSandboxAsync(stale.Id, cancellationToken);
                Forget(stale.Config.Uid);
            }
        }

        if (pod is null)
        {
            return;
        }

        // What this kubelet last computed, written or not, is what the next status builds on (upstream's status cache).
        pod = new V1Pod { ApiVersion = pod.ApiVersion, Kind = pod.Kind, Metadata = pod.Metadata, Spec = pod.Spec, Status = _statuses.Latest(pod.Metadata.Uid) ?? pod.Status };
        var mine = sandboxes.Where(s => s.Config.Uid == pod.Metadata.Uid).ToList();
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            BeginTermination(pod, mine, cancellationToken);
            return;
        }

        if (pod.Status?.Phase is "Succeeded" or "Failed")
        {
            foreach (var sandbox in mine.Where(s => s.Ready))
            {
                await _runtime.StopPodSandboxAsync(sandbox.Id, cancellationToken);
            }

            Probes.Remove(pod.Metadata.Uid);
            return;
        }

        if (!await AdmitAsync(pod, mine.Count > 0, cancellationToken))
        {
            return;
        }

        var status = await _runtime.StatusAsync(cancellationToken);
        if (!status.Ready || !status.NetworkReady)
        {
            Queue.AddAfter(key, RelistPeriod);  // no pod starts before the runtime and its network are ready
            return;
        }

        // The pod's volumes before its sandbox (upstream's WaitForAttachAndMount): on a real node their files, on a
        // hollow one its ServiceAccount tokens only.
        var failedMount = await ProjectedTokens.EnsureAsync(pod, _tokens, cancellationToken);
        if (failedMount is null && _volumes is not null)
        {
            try
            {
                _volumePaths[pod.Metadata.Uid] = await _volumes.SetUpAsync(pod, _node(), cancellationToken);
                Queue.AddAfter(key, VolumeResync);  // configMaps, secrets and tokens change under running pods
            }
            catch (VolumeMountException e)
            {
                failedMount = e.Message;
            }
        }

        if (failedMount is not null)
        {
            // The pod waits, its containers ContainerCreating, until its volumes can be set up.
            _events.Event(pod, EventTypes.Warning, "FailedMount", failedMount);
            if (mine.Count == 0)
            {
                _statuses.Set(pod, PodStatusBuilder.Build(pod, null, [], new Dictionary<string, ContainerWaiting>(), Probes, _runtimeName, _time.GetUtcNow()), StatusTarget(pod));
            }

            Queue.AddAfter(key, MountRetry);
            return;
        }

        var current = mine.FirstOrDefault(s => s.Ready);
        if (current is null)
        {
            var attempt = mine.Count;
            var config = new PodSandboxConfig(name, ns, pod.Metadata.Uid, PodNetworkFiles.Hostname(pod), attempt);
            var id = await _runtime.RunPodSandboxAsync(_volumes is null ? config : RealSandbox(pod, config), cancellationToken);
            current = (await _runtime.ListPodSandboxesAsync(cancellationToken)).First(s => s.Id == id);
            LogSandbox(_log, key, current.Ip ?? "(none)");
        }

        if (pod.Spec.ActiveDeadlineSeconds is { } deadline && pod.Status?.StartTime is { } started)
        {
            var left = new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) + TimeSpan.FromSeconds(deadline) - _time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                await ExceedDeadlineAsync(pod, current, cancellationToken);
                return;
            }

            Queue.AddAfter(key, left);
        }

        await KillUnhealthyAsync(pod, current, cancellationToken);
        var waiting = await StartContainersAsync(pod, current, cancellationToken);
        var containers = await TerminationMessages.WithLogFallbackAsync(pod, await _runtime.ListContainersAsync(current.Id, cancellationToken), _runtime, cancellationToken);
        var podStatus = PodStatusBuilder.Build(pod, current, containers, waiting, Probes, _runtimeName, _time.GetUtcNow());
        _statuses.Set(pod, podStatus, StatusTarget(pod));
        if (podStatus.Phase is "Succeeded" or "Failed")
        {
            await _runtime.StopPodSandboxAsync(current.Id, cancellationToken);
            Probes.Remove(pod.Metadata.Uid);
        }
        else
        {
            Probes.Update(pod, podStatus);
        }

        if (waiting.Count > 0)
        {
            var soonest = waiting.Values.Min(w => w.RetryIn ?? RetryPeriod);
            Queue.AddAfter(key, soonest < MinimumRetry ? MinimumRetry : soonest);
        }
    }

    /// <summary>
    /// What a real pod's sandbox gets beyond its identity (upstream's generatePodSandboxConfig): its DNS (with
    /// <c>MissingClusterDNS</c> warnings when the node has no cluster DNS), its cgroup by QoS class, the node's
    /// namespaces it asks for, and its containers' host ports.
    /// </summary>
    private PodSandboxConfig RealSandbox(V1Pod pod, PodSandboxConfig config)
    {
        string resolvConf;
        try
        {
            resolvConf = File.ReadAllText(_options.ResolvConf);
        }
        catch (IOException)
        {
            resolvConf = string.Empty;
        }

        var dns = PodNetworkFiles.Dns(pod, _options.ClusterDns, _options.ClusterDomain, resolvConf, out var missingClusterDns);
        if (missingClusterDns)
        {
            _events.Event(pod, EventTypes.Warning, "MissingClusterDNS", $"pod: \"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\". {PodNetworkFiles.MissingClusterDns}");
            if (_node() is { } node)
            {
                _events.Event(node, EventTypes.Warning, "MissingClusterDNS", PodNetworkFiles.MissingClusterDns);
            }
        }

        var ports = (pod.Spec.Containers ?? [])
            .SelectMany(c => c.Ports ?? [])
            .Where(p => p.HostPort is > 0)
            .Select(p => new PortMapping(p.Protocol ?? "TCP", p.ContainerPort, p.HostPort!.Value, p.HostIP))
            .ToList();
        return config with
        {
            Dns = dns,
            Namespaces = ContainerRuntimeSpecs.Namespaces(pod),
            CgroupParent = ContainerRuntimeSpecs.CgroupParent(pod),
            PortMappings = ports,
        };
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

    /// <summary>Drops what the kubelet kept about a pod that is gone.</summary>
    private void Forget(string uid)
    {
        _backOff.Forget(uid + "/");
        _images.Forget(uid);
        _statuses.Forget(uid);
        _admitted.TryRemove(uid, out _);
        _tokens.DeleteForPod(uid);
        Probes.Remove(uid);
        _volumePaths.TryRemove(uid, out _);
        if (_volumes is not null)
        {
            _volumes.TearDown(uid);
            Node.PodCgroups.Remove(uid);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: sandbox ready, IP {Ip}")]
    private static partial void LogSandbox(ILogger log, string pod, string ip);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod workers: refreshing ServiceAccount tokens failed: {Error}")]
    private static partial void LogTokensFailed(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod workers: relisting the runtime failed: {Error}")]
    private static partial void LogRelistFailed(ILogger log, string error);

    /// <summary>A pod's pull secret, or null when it does not exist (or this node may not read it).</summary>
    private async Task<V1Secret?> ReadPullSecretAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e) || e is k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Forbidden })
        {
            return null;
        }
    }
}
