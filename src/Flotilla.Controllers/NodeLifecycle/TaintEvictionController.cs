using Flotilla.Api.Selectors;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.NodeLifecycle;

/// <summary>
/// kube-controller-manager's taint eviction controller: a pod on a node with NoExecute taints it does not tolerate is
/// deleted at once; one that tolerates them for <c>tolerationSeconds</c> (300 s for not-ready and unreachable, added
/// by admission) is deleted when the shortest of them has passed, counted from when this controller saw it, unless
/// the taints go first. Before deleting, the pod gets a <c>DisruptionTarget</c> condition saying why.
/// </summary>
public sealed partial class TaintEvictionController(Indexer<V1Pod> pods, IKubernetes client, IEventRecorder events, TimeProvider time, ILogger log)
{
    public const string Name = "taint-eviction-controller";

    private const int DeleteAttempts = 5;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<V1Taint>> _taintedNodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Scheduled> _scheduled = new(StringComparer.Ordinal);

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, IEventRecorder events, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var nodes = informers.Informer<V1Node>();
        var pods = informers.Informer<V1Pod>();
        pods.Indexer.AddIndex(Indexers.NodeName, Indexers.PodsByNode);
        var controller = new TaintEvictionController(pods.Indexer, client, events, time, log);
        nodes.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (node, _) => controller.NodeChanged(node.Metadata.Name, node),
            OnUpdate = (old, node) =>
            {
                if (!SameTaints(NoExecute(old), NoExecute(node)))
                {
                    controller.NodeChanged(node.Metadata.Name, node);
                }
            },
            OnDelete = node => controller.NodeChanged(node.Metadata.Name, null),
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => controller.PodChanged(pod, deleted: false),
            OnUpdate = (old, pod) =>
            {
                if (old.Spec?.NodeName != pod.Spec?.NodeName || KubernetesJson.Serialize(old.Spec?.Tolerations) != KubernetesJson.Serialize(pod.Spec?.Tolerations))
                {
                    controller.PodChanged(pod, deleted: false);
                }
            },
            OnDelete = pod => controller.PodChanged(pod, deleted: true),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            controller.CancelAll();
        }
    }

    /// <summary>Upstream handleNodeUpdate: the node's NoExecute taints, applied to every pod bound to it.</summary>
    public void NodeChanged(string name, V1Node? node)
    {
        lock (_gate)
        {
            if (node is null)
            {
                _taintedNodes.Remove(name);
                return;
            }

            var taints = NoExecute(node);
            if (taints.Count == 0)
            {
                _taintedNodes.Remove(name);
            }
            else
            {
                _taintedNodes[name] = taints;
            }

            var now = time.GetUtcNow();
            foreach (var pod in pods.ByIndex(Indexers.NodeName, name))
            {
                if (taints.Count == 0)
                {
                    Cancel(ObjectKeys.Of(pod));
                }
                else
                {
                    Process(pod, taints, now);
                }
            }
        }
    }

    /// <summary>Upstream handlePodUpdate.</summary>
    public void PodChanged(V1Pod pod, bool deleted)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (_gate)
        {
            if (deleted)
            {
                Cancel(ObjectKeys.Of(pod));
                return;
            }

            if (pod.Spec?.NodeName is { Length: > 0 } node && _taintedNodes.TryGetValue(node, out var taints))
            {
                Process(pod, taints, time.GetUtcNow());
            }
        }
    }

    /// <summary>When a pod goes, if it goes: deletion times by pod key (for tests and the log).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Deadlines
    {
        get
        {
            lock (_gate)
            {
                return _scheduled.ToDictionary(s => s.Key, s => s.Value.FireAt, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// Upstream getMinTolerationTime over the first toleration matching each taint: null when some taint is not
    /// tolerated (delete now), infinite when all are tolerated forever, else the shortest <c>tolerationSeconds</c>.
    /// </summary>
    public static TimeSpan? TolerationTime(IReadOnlyList<V1Taint> taints, IList<V1Toleration>? tolerations)
    {
        ArgumentNullException.ThrowIfNull(taints);
        var used = new List<V1Toleration>();
        foreach (var taint in taints)
        {
            if ((tolerations ?? []).FirstOrDefault(t => TaintMatching.Tolerates(t, taint)) is not { } toleration)
            {
                return null;
            }

            used.Add(toleration);
        }

        if (used.Count == 0 || used.Any(t => t.TolerationSeconds is <= 0))
        {
            return TimeSpan.Zero;
        }

        var seconds = used.Where(t => t.TolerationSeconds is not null).Select(t => t.TolerationSeconds!.Value).ToList();
        return seconds.Count == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds.Min());
    }

    private void Process(V1Pod pod, List<V1Taint> taints, DateTimeOffset now)
    {
        var key = ObjectKeys.Of(pod);
        var wait = TolerationTime(taints, pod.Spec?.Tolerations);
        if (wait is null)
        {
            Cancel(key);
            Schedule(key, now, now);
            return;
        }

        if (wait == Timeout.InfiniteTimeSpan)
        {
            Cancel(key);
            return;
        }

        var start = now;
        if (_scheduled.TryGetValue(key, out var existing))
        {
            start = existing.CreatedAt;
            if (start + wait.Value < now + wait.Value)
            {
                return;  // an earlier countdown stands
            }

            Cancel(key);
        }

        Schedule(key, start, start + wait.Value);
    }

    private void Schedule(string key, DateTimeOffset createdAt, DateTimeOffset fireAt)
    {
        if (_scheduled.ContainsKey(key))
        {
            return;
        }

        var delay = fireAt - createdAt;
        var scheduled = new Scheduled(createdAt, fireAt);
        _scheduled[key] = scheduled;
        if (delay <= TimeSpan.Zero)
        {
            _ = Task.Run(() => EvictAsync(key, scheduled));
            return;
        }

        scheduled.Timer = time.CreateTimer(_ => _ = EvictAsync(key, scheduled), null, delay, Timeout.InfiniteTimeSpan);
        LogScheduled(log, key, fireAt);
    }

    private void Cancel(string key)
    {
        if (_scheduled.Remove(key, out var scheduled) && scheduled.Timer is { } timer)
        {
            timer.Dispose();
            var (ns, name) = ObjectKeys.Split(key);
            events.Event(new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = ns, Name = name }, EventTypes.Normal, "TaintManagerEviction", "Cancelling deletion of Pod {0}", key);
        }
    }

    private void CancelAll()
    {
        lock (_gate)
        {
            foreach (var scheduled in _scheduled.Values)
            {
                scheduled.Timer?.Dispose();
            }

            _scheduled.Clear();
        }
    }

    private async Task EvictAsync(string key, Scheduled scheduled)
    {
        var (ns, name) = ObjectKeys.Split(key);
        events.Event(new V1ObjectReference { ApiVersion = "v1", Kind = "Pod", NamespaceProperty = ns, Name = name }, EventTypes.Normal, "TaintManagerEviction", "Marking for deletion Pod {0}", key);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await DisruptAndDeleteAsync(ns, name);
                    LogEvicted(log, key);
                    return;
                }
                catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException && attempt < DeleteAttempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), time);
                }
            }
        }
#pragma warning disable CA1031 // a deletion that keeps failing is logged; the next pod or node change tries again
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogEvictionFailed(log, key, ApiErrors.Describe(e));
        }
        finally
        {
            lock (_gate)
            {
                if (_scheduled.TryGetValue(key, out var current) && ReferenceEquals(current, scheduled))
                {
                    _scheduled.Remove(key);
                }
            }
        }
    }

    private async Task DisruptAndDeleteAsync(string ns, string name)
    {
        var pod = await client.CoreV1.ReadNamespacedPodAsync(name, ns);
        if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "DisruptionTarget") is not { Status: "True", Reason: "DeletionByTaintManager" })
        {
            var condition = new V1PodCondition
            {
                Type = "DisruptionTarget",
                Status = "True",
                Reason = "DeletionByTaintManager",
                Message = "Taint manager: deleting due to NoExecute taint",
                LastTransitionTime = Api.Timestamps.Of(time.GetUtcNow()),
            };
            var patch = KubernetesJson.Serialize(new V1Pod { Metadata = new V1ObjectMeta { Uid = pod.Metadata.Uid }, Status = new V1PodStatus { Conditions = [condition] } });
            await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), name, ns);
        }

        await client.CoreV1.DeleteNamespacedPodAsync(name, ns);
    }

    private static List<V1Taint> NoExecute(V1Node node) => (node.Spec?.Taints ?? []).Where(t => t.Effect == "NoExecute").ToList();

    private static bool SameTaints(List<V1Taint> a, List<V1Taint> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.Value == p.Second.Value && p.First.Effect == p.Second.Effect && p.First.TimeAdded == p.Second.TimeAdded);

    private sealed class Scheduled(DateTimeOffset createdAt, DateTimeOffset fireAt)
    {
        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset FireAt { get; } = fireAt;

        public ITimer? Timer { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: on a NoExecute-tainted node, deleted at {At:o} unless the taint goes")]
    private static partial void LogScheduled(ILogger log, string pod, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Pod}: evicted for a NoExecute taint")]
    private static partial void LogEvicted(ILogger log, string pod);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pod {Pod}: eviction failed: {Error}")]
    private static partial void LogEvictionFailed(ILogger log, string pod, string error);
}
