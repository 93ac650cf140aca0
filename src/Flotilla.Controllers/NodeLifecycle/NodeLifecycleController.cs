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
            Every(options.NodeMonitorPeriod, controller.MonitorAsync, time, log, cancellationToken),
            Every(TaintingPeriod, controller.NoExecuteTaintingAsync, time, log, cancellationToken));
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

    /// <summary>Taints due in each zone, at each zone's rate (upstream doNoExecuteTaintingPass).</summary>
    public async Task NoExecuteTaintingAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in _tainters.Values)
        {
            await queue.TryAsync(async name =>
            {
                if (_nodes.Get(name) is not { } node)
                {
                    return (true, TimeSpan.Zero);
                }

                var (add, remove) = NodeHealth.Condition(node, "Ready")?.Status switch
                {
                    "False" => (NodeTaints.NotReady, NodeTaints.Unreachable),
                    "Unknown" => (NodeTaints.Unreachable, NodeTaints.NotReady),
                    "True" => (null, null),
                    _ => ("?", "?"),
                };
                if (add is null)
                {
                    return (true, TimeSpan.Zero);  // ready again meanwhile
                }

                if (add == "?")
                {
                    return (false, TimeSpan.FromMilliseconds(50));
                }

                var done = await NodeTaints.SwapAsync(_client, node, [NodeTaints.NoExecute(add)], [NodeTaints.NoExecute(remove!)], _time.GetUtcNow(), cancellationToken);
                if (done)
                {
                    LogTainted(_log, name, add);
                }

                return (done, TimeSpan.Zero);
            });
        }
    }

    /// <summary>NoSchedule taints as the node's conditions say (upstream doNoScheduleTaintingPass).</summary>
    public async Task NoScheduleTaintingAsync(string name, CancellationToken cancellationToken)
    {
        if (_nodes.Get(name) is not { } node)
        {
            return;
        }

        var wanted = new List<V1Taint>();
        foreach (var condition in node.Status?.Conditions ?? [])
        {
            var key = (condition.Type, condition.Status) switch
            {
                ("Ready", "False") => NodeTaints.NotReady,
                ("Ready", "Unknown") => NodeTaints.Unreachable,
                ("MemoryPressure", "True") => NodeTaints.MemoryPressure,
                ("DiskPressure", "True") => NodeTaints.DiskPressure,
                ("NetworkUnavailable", "True") => NodeTaints.NetworkUnavailable,
                ("PIDPressure", "True") => NodeTaints.PidPressure,
                _ => null,
            };
            if (key is not null)
            {
                wanted.Add(NodeTaints.NoSchedule(key));
            }
        }

        if (node.Spec?.Unschedulable == true)
        {
            wanted.Add(NodeTaints.NoSchedule(NodeTaints.Unschedulable));
        }

        var current = (node.Spec?.Taints ?? []).Where(t => t.Effect == "NoSchedule" && NoScheduleKeys.Contains(t.Key)).ToList();
        var add = wanted.Where(w => !current.Any(c => NodeTaints.Matches(c, w))).ToList();
        var remove = current.Where(c => !wanted.Any(w => NodeTaints.Matches(c, w))).ToList();
        if ((add.Count > 0 || remove.Count > 0) && !await NodeTaints.SwapAsync(_client, node, add, remove, _time.GetUtcNow(), cancellationToken))
        {
            throw new InvalidOperationException($"failed to swap taints of node {name}");
        }
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

    /// <summary>Upstream processTaintBaseEviction: queue the node for its NoExecute taint, or lift it.</summary>
    private async Task TaintForEvictionAsync(V1Node node, V1NodeCondition observed, CancellationToken cancellationToken)
    {
        switch (observed.Status)
        {
            case "False" or "Unknown":
                var (want, other) = observed.Status == "False" ? (NodeTaints.NotReady, NodeTaints.Unreachable) : (NodeTaints.Unreachable, NodeTaints.NotReady);
                if (NodeTaints.Has(node, NodeTaints.NoExecute(other)))
                {
                    // Already tainted the other way: swap at once, not at the eviction rate.
                    await NodeTaints.SwapAsync(_client, node, [NodeTaints.NoExecute(want)], [NodeTaints.NoExecute(other)], _time.GetUtcNow(), cancellationToken);
                    return;
                }

                var queue = Tainter(node);
                if (!NodeTaints.Has(node, NodeTaints.NoExecute(want)))
                {
                    queue.Remove(node.Metadata.Name);
                }

                queue.Add(node.Metadata.Name);
                return;
            case "True":
                await MarkReachableAsync(node, cancellationToken);
                return;
        }
    }

    private async Task MarkReachableAsync(V1Node node, CancellationToken cancellationToken)
    {
        if (await NodeTaints.SwapAsync(_client, node, [], [NodeTaints.NoExecute(NodeTaints.Unreachable), NodeTaints.NoExecute(NodeTaints.NotReady)], _time.GetUtcNow(), cancellationToken))
        {
            Tainter(node).Remove(node.Metadata.Name);
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

    /// <summary>Upstream handleDisruption: zone states, their tainting rates, and the all-nodes-down mode.</summary>
    private async Task HandleDisruptionAsync(Dictionary<string, List<V1NodeCondition?>> zones, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken)
    {
        var newStates = zones.ToDictionary(z => z.Key, z => Zones.State(z.Value, _options.UnhealthyZoneThreshold), StringComparer.Ordinal);
        var allAreFully = newStates.Values.All(s => s == Zones.FullDisruption);
        foreach (var zone in zones.Keys)
        {
            _zoneStates.TryAdd(zone, Zones.Initial);
        }

        foreach (var stale in _zoneStates.Keys.Where(k => !zones.ContainsKey(k)).ToList())
        {
            _zoneStates.Remove(stale);
        }

        var allWereFully = _zoneStates.Values.All(s => s == Zones.FullDisruption);
        if (allAreFully && allWereFully)
        {
            return;
        }

        if (allAreFully)
        {
            LogMasterDisruption(_log, entering: true);
            foreach (var node in nodes)
            {
                await MarkReachableAsync(node, cancellationToken);
            }

            foreach (var zone in _zoneStates.Keys.ToList())
            {
                Tainter(zone).SwapLimiter(0);
                _zoneStates[zone] = Zones.FullDisruption;
            }

            return;
        }

        if (allWereFully)
        {
            LogMasterDisruption(_log, entering: false);
            _health.ResetProbes(nodes.Select(n => n.Metadata.Name), _time.GetUtcNow());
            foreach (var zone in _zoneStates.Keys.ToList())
            {
                SetZoneRate(zone, zones[zone].Count, newStates[zone]);
                _zoneStates[zone] = newStates[zone];
            }

            return;
        }

        foreach (var zone in _zoneStates.Keys.ToList())
        {
            if (_zoneStates[zone] != newStates[zone])
            {
                LogZoneState(_log, zone, newStates[zone]);
                SetZoneRate(zone, zones[zone].Count, newStates[zone]);
                _zoneStates[zone] = newStates[zone];
            }
        }
    }

    private void SetZoneRate(string zone, int size, string state)
    {
        var rate = state switch
        {
            Zones.Normal or Zones.FullDisruption => _options.NodeEvictionRate,
            Zones.PartialDisruption => size > _options.LargeClusterSizeThreshold ? _options.SecondaryNodeEvictionRate : 0,
            _ => (double?)null,
        };
        if (rate is { } perSecond)
        {
            Tainter(zone).SwapLimiter(perSecond);
        }
    }

    private RateLimitedTimedQueue Tainter(V1Node node) => Tainter(Zones.Key(node));

    private RateLimitedTimedQueue Tainter(string zone) => _tainters.GetOrAdd(zone, _ => new RateLimitedTimedQueue(_options.NodeEvictionRate, _time));

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

    /// <summary>Runs <paramref name="pass"/> every <paramref name="period"/> from the end of the last run, as wait.Until does.</summary>
    private static async Task Every(TimeSpan period, Func<CancellationToken, Task> pass, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await pass(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed pass is logged and the next one runs; the loop must not die
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogPassFailed(log, e.Message);
            }

            try
            {
                await Task.Delay(period, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

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
