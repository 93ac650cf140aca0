using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.NodeLifecycle;

/// <summary>
/// kube-controller-manager's node lifecycle controller. Every monitor period it checks each node's heartbeats
/// (<see cref="NodeHealth"/>); a silent node turns <c>Ready=Unknown</c>, its pods <c>Ready=False</c>, and it is
/// queued in its zone for the <c>unreachable</c> (or, when the kubelet says not ready, <c>not-ready</c>) NoExecute
/// taint, which the taint eviction controller acts on. Taints go on at the eviction rate per zone, slower or not at
/// all when much of a zone is down, and never while every node is down (the control plane is then the likelier
/// culprit). NoSchedule taints mirror the node's conditions and <c>spec.unschedulable</c> on every node change.
/// </summary>
public sealed partial class NodeLifecycleController
{
    public const string Name = "node-controller";
    public const string LeaseNamespace = "kube-node-lease";

    /// <summary>Upstream NodeEvictionPeriod: how often the zone queues are tried.</summary>
    public static readonly TimeSpan TaintingPeriod = TimeSpan.FromMilliseconds(100);

    private static readonly string[] NoScheduleKeys = [NodeTaints.Unschedulable, NodeTaints.NotReady, NodeTaints.Unreachable, NodeTaints.NetworkUnavailable, NodeTaints.MemoryPressure, NodeTaints.DiskPressure, NodeTaints.PidPressure];

    private readonly Lister<V1Node> _nodes;
    private readonly Lister<V1Lease> _leases;
    private readonly Indexer<V1Pod> _pods;
    private readonly IKubernetes _client;
    private readonly IEventRecorder _events;
    private readonly ControllerManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly NodeHealth _health;
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _zoneStates = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RateLimitedTimedQueue> _tainters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _retryPods = new(StringComparer.Ordinal);

    public NodeLifecycleController(Lister<V1Node> nodes, Lister<V1Lease> leases, Indexer<V1Pod> pods, IKubernetes client, IEventRecorder events, ControllerManagerOptions options, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _nodes = nodes;
        _leases = leases;
        _pods = pods;
        _client = client;
        _events = events;
        _options = options;
        _time = time;
        _log = log;
        _health = new NodeHealth(options.NodeMonitorGracePeriod, options.NodeStartupGracePeriod);
        NoScheduleQueue = new WorkQueue<string>("node_lifecycle_controller", time);
    }

    public WorkQueue<string> NoScheduleQueue { get; }

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, IEventRecorder events, ControllerManagerOptions options, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var nodes = informers.Informer<V1Node>();
        var leases = informers.Informer<V1Lease>(new InformerOptions { Namespace = LeaseNamespace });
        var pods = informers.Informer<V1Pod>();
        pods.Indexer.AddIndex(Indexers.NodeName, Indexers.PodsByNode);
        var controller = new NodeLifecycleController(nodes.Lister, leases.Lister, pods.Indexer, client, events, options, time, log);
        using var queue = controller.NoScheduleQueue;
        nodes.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (node, _) => queue.Add(node.Metadata.Name),
            OnUpdate = (_, node) => queue.Add(node.Metadata.Name),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await Task.WhenAll(
            new ControllerLoop(Name, queue, controller.NoScheduleTaintingAsync, log).RunAsync(2, cancellationToken),
            Periodic.RunAsync(options.NodeMonitorPeriod, controller.MonitorAsync, e => LogPassFailed(log, e.Message), time, cancellationToken),
            Periodic.RunAsync(TaintingPeriod, controller.NoExecuteTaintingAsync, e => LogPassFailed(log, e.Message), time, cancellationToken));
    }

    /// <summary>One monitor pass (upstream monitorNodeHealth).</summary>
    public async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var nodes = _nodes.List();
        foreach (var node in nodes.Where(n => !_known.ContainsKey(n.Metadata.Name)))
        {
            _events.Event(NodeRef(node), EventTypes.Normal, "RegisteredNode", "Node {0} event: Registered Node {0} in Controller", node.Metadata.Name);
            _known[node.Metadata.Name] = node.Metadata.Uid;
            Tainter(node);
            await MarkReachableAsync(node, cancellationToken);
        }

        var present = nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, uid) in _known.Where(k => !present.Contains(k.Key)).ToList())
        {
            _events.Event(new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = name, Uid = uid }, EventTypes.Normal, "RemovingNode", "Node {0} event: Removing Node {0} from Controller", name);
            _known.Remove(name);
            _health.Forget(name);
        }

        var zones = new Dictionary<string, List<V1NodeCondition?>>(StringComparer.Ordinal);
        foreach (var cached in nodes)
        {
            if (await UpdateHealthAsync(cached, cancellationToken) is not var (node, observed, current))
            {
                continue;  // its status could not be written: judged again next pass
            }

            if (node.Metadata.Labels?.ContainsKey(Zones.ExcludeDisruptionLabel) != true)
            {
                Zone(zones, Zones.Key(node)).Add(current);
            }

            if (current is null)
            {
                continue;
            }

            await TaintForEvictionAsync(node, observed, cancellationToken);
            var name = node.Metadata.Name;
            var becameNotReady = current.Status != "True" && observed.Status == "True";
            if (becameNotReady)
            {
                _events.Event(NodeRef(node), EventTypes.Normal, "NodeNotReady", "Node {0} status is now: NodeNotReady", name);
            }

            if (becameNotReady || (_retryPods.Contains(name) && observed.Status != "True"))
            {
                if (!await MarkPodsNotReadyAsync(name, cancellationToken))
                {
                    _retryPods.Add(name);
                    continue;
                }
            }

            _retryPods.Remove(name);
        }

        await HandleDisruptionAsync(zones, nodes, cancellationToken);
    }

    /// <summary>Upstream tryUpdateNodeHealth with its retries: the node as now known, its Ready condition before and after.</summary>
    private async Task<(V1Node Node, V1NodeCondition Observed, V1NodeCondition? Current)?> UpdateHealthAsync(V1Node cached, CancellationToken cancellationToken)
    {
        var node = Api.Serialization.DeepCopy.Of(cached);
        for (var attempt = 0; ; attempt++)
        {
            var (observed, current, changed) = _health.Observe(node, _leases.Get(LeaseNamespace, node.Metadata.Name), _time.GetUtcNow());
            if (!changed)
            {
                return (node, observed, current);
            }

            try
            {
                var written = await _client.CoreV1.ReplaceNodeStatusAsync(node, node.Metadata.Name, cancellationToken: cancellationToken);
                _health.Written(written);
                LogUnknown(_log, node.Metadata.Name);
                return (written, observed, NodeHealth.Condition(written, "Ready"));
            }
            catch (k8s.Autorest.HttpOperationException e) when (attempt < 4)
            {
                LogRetry(_log, node.Metadata.Name, ApiErrors.Message(e));
                try
                {
                    node = await _client.CoreV1.ReadNodeAsync(node.Metadata.Name, cancellationToken: cancellationToken);
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    return null;
                }
            }
            catch (k8s.Autorest.HttpOperationException)
            {
                return null;
            }
        }
    }

    /// <summary>Upstream MarkPodsNotReady: the pods of a node that stopped answering are not Ready either.</summary>
    private async Task<bool> MarkPodsNotReadyAsync(string nodeName, CancellationToken cancellationToken)
    {
        var ok = true;
        foreach (var cached in _pods.ByIndex(Indexers.NodeName, nodeName))
        {
            if (cached.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is not { Status: not "False" })
            {
                continue;
            }

            var pod = Api.Serialization.DeepCopy.Of(cached);
            var ready = pod.Status.Conditions.First(c => c.Type == "Ready");
            ready.Status = "False";
            ready.LastTransitionTime = Api.Timestamps.Of(_time.GetUtcNow());
            try
            {
                await _client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                continue;
            }
            catch (k8s.Autorest.HttpOperationException e)
            {
                LogPodFailed(_log, ObjectKeys.Of(pod), ApiErrors.Message(e));
                ok = false;
            }

            _events.Event(pod, EventTypes.Warning, "NodeNotReady", "Node is not ready");
        }

        return ok;
    }

    private static List<V1NodeCondition?> Zone(Dictionary<string, List<V1NodeCondition?>> zones, string key)
    {
        if (!zones.TryGetValue(key, out var list))
        {
            list = [];
            zones[key] = list;
        }

        return list;
    }

    private static V1ObjectReference NodeRef(V1Node node) => new() { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid };

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: no heartbeat within the grace period; Ready is Unknown")]
    private static partial void LogUnknown(ILogger log, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: tainted {Key}:NoExecute")]
    private static partial void LogTainted(ILogger log, string node, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: writing its health failed, retrying: {Error}")]
    private static partial void LogRetry(ILogger log, string node, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: marking it not ready failed: {Error}")]
    private static partial void LogPodFailed(ILogger log, string pod, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node lifecycle: pass failed: {Error}")]
    private static partial void LogPassFailed(ILogger log, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "node lifecycle: zone {Zone} is now {State}")]
    private static partial void LogZoneState(ILogger log, string zone, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node lifecycle: every node is not ready (entering={Entering}): no NoExecute taints while the whole cluster is down")]
    private static partial void LogMasterDisruption(ILogger log, bool entering);
}
