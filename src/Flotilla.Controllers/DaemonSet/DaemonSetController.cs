using System.Collections.Concurrent;
using Flotilla.Api.Selectors;
using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.DaemonSet;

/// <summary>
/// kube-controller-manager's DaemonSet controller (v1.32): one pod per node that should run it
/// (<see cref="DaemonNodes"/>), created with node affinity to that node so the default scheduler binds it; extra,
/// failed (after a back-off) and misplaced pods deleted; the template's history in ControllerRevisions; RollingUpdate
/// replaces old pods within <c>maxUnavailable</c>; the status counts what runs where.
/// </summary>
public sealed partial class DaemonSetController
{
    /// <summary>The service account it writes as.</summary>
    public const string Name = "daemon-set-controller";

    /// <summary>The events' source component.</summary>
    public const string EventComponent = "daemonset-controller";

    /// <summary>Upstream's BurstReplicas for DaemonSets: the most pods created, and deleted, in one pass.</summary>
    public const int BurstReplicas = 250;

    public const string TemplateGenerationLabel = "pod-template-generation";
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    private static readonly TimeSpan FailedPodBackOffInitial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FailedPodBackOffMax = TimeSpan.FromMinutes(15);

    private readonly Lister<V1DaemonSet> _daemonSets;
    private readonly Lister<V1Pod> _pods;
    private readonly Lister<V1Node> _nodes;
    private readonly Lister<V1ControllerRevision> _revisions;
    private readonly IPodControl _podControl;
    private readonly IDaemonSetClient _client;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, (TimeSpan Delay, DateTimeOffset Since)> _failedPodBackOff = new(StringComparer.Ordinal);

    public DaemonSetController(Lister<V1DaemonSet> daemonSets, Lister<V1Pod> pods, Lister<V1Node> nodes, Lister<V1ControllerRevision> revisions, IPodControl podControl, IDaemonSetClient client, IEventRecorder events, TimeProvider time, ILogger log)
    {
        _daemonSets = daemonSets;
        _pods = pods;
        _nodes = nodes;
        _revisions = revisions;
        _podControl = podControl;
        _client = client;
        _events = events;
        _time = time;
        _log = log;
        Expectations = new Expectations(time);
        Queue = new WorkQueue<string>("daemonset", time);
    }

    public WorkQueue<string> Queue { get; }

    public Expectations Expectations { get; }

    public static async Task RunAsync(SharedInformerFactory informers, IPodControl podControl, IDaemonSetClient client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var daemonSets = informers.Informer<V1DaemonSet>();
        var pods = informers.Informer<V1Pod>();
        var nodes = informers.Informer<V1Node>();
        var revisions = informers.Informer<V1ControllerRevision>();
        var controller = new DaemonSetController(daemonSets.Lister, pods.Lister, nodes.Lister, revisions.Lister, podControl, client, events, time, log);
        using var queue = controller.Queue;
        daemonSets.AddEventHandler(new ResourceEventHandler<V1DaemonSet>
        {
            OnAdd = (ds, _) => queue.Add(ObjectKeys.Of(ds)),
            OnUpdate = (_, ds) => queue.Add(ObjectKeys.Of(ds)),
            OnDelete = ds =>
            {
                controller.Expectations.Delete(ObjectKeys.Of(ds));
                queue.Add(ObjectKeys.Of(ds));
            },
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => controller.PodChanged(pod, added: true),
            OnUpdate = (old, pod) =>
            {
                if (old.Metadata.ResourceVersion != pod.Metadata.ResourceVersion)
                {
                    controller.PodChanged(pod, added: false);
                }
            },
            OnDelete = controller.PodDeleted,
        });
        nodes.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (node, _) => controller.NodeChanged(null, node),
            OnUpdate = controller.NodeChanged,
            OnDelete = node => controller.NodeChanged(node, null),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>One pass over one DaemonSet (upstream's syncDaemonSet); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_daemonSets.Get(ns, name) is not { } ds)
        {
            Expectations.Delete(key);
            return;
        }

        if (ds.Spec.Selector is null || (ds.Spec.Selector.MatchLabels is not { Count: > 0 } && ds.Spec.Selector.MatchExpressions is not { Count: > 0 }))
        {
            _events.Event(ds, EventTypes.Warning, "SelectingAll", "This daemon set is selecting all pods. A non-empty selector is required.");
            return;
        }

        if (ds.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        var nodes = _nodes.List();
        var (current, old) = await ConstructHistoryAsync(ds, cancellationToken);
        var hash = current.Metadata.Labels[RevisionHashLabel];
        if (!Expectations.Satisfied(key))
        {
            await UpdateStatusAsync(ds, nodes, hash, observed: false, cancellationToken);
            return;
        }

        string? error = null;
        var pods = await PodsAsync(ds, cancellationToken);
        error = await ManageAsync(key, ds, nodes, pods, hash, cancellationToken);
        if (Expectations.Satisfied(key) && ds.Spec.UpdateStrategy?.Type == "RollingUpdate")
        {
            error ??= await RollingUpdateAsync(key, ds, nodes, await PodsAsync(ds, cancellationToken), hash, cancellationToken);
        }

        await CleanupHistoryAsync(ds, old, pods, cancellationToken);
        await UpdateStatusAsync(ds, nodes, hash, observed: true, cancellationToken);
        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }
    }

    /// <summary>The pods the DaemonSet controls, after adopting matching orphans and releasing strays.</summary>
    private Task<List<V1Pod>> PodsAsync(V1DaemonSet ds, CancellationToken cancellationToken) =>
        new ControllerRefManager<V1Pod>(
            ds,
            "apps/v1",
            "DaemonSet",
            LabelSelector.FromModel(ds.Spec.Selector),
            _ => ControllerRefManager<V1Pod>.FreshOwnerCheckAsync(ds, "DaemonSet", async () => await _client.GetAsync(ds.Metadata.NamespaceProperty, ds.Metadata.Name, cancellationToken)),
            (pod, patch, token) => _podControl.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, patch, token)).ClaimAsync(_pods.List(ds.Metadata.NamespaceProperty), cancellationToken);

    /// <summary>Pods by the node they are for; finished pods being deleted are left out (upstream's getNodesToDaemonPods).</summary>
    private static Dictionary<string, List<V1Pod>> ByNode(IEnumerable<V1Pod> pods)
    {
        var byNode = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (pod.Status?.Phase is "Succeeded" or "Failed" && pod.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            if (DaemonNodes.TargetNode(pod) is { } node)
            {
                (byNode.TryGetValue(node, out var list) ? list : byNode[node] = []).Add(pod);
            }
        }

        return byNode;
    }

    /// <summary>Upstream's podByCreationTimestampAndPhase: scheduled first, then oldest, then by name.</summary>
    private static string? Value(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static List<V1Pod> OldestFirst(IEnumerable<V1Pod> pods) =>
        [.. pods.OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 1 : 0).ThenBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>The new template's pod (upstream's IsPodUpdated): its revision hash, or its template generation.</summary>
    private static bool IsUpdated(V1Pod pod, string hash, V1DaemonSet ds)
    {
        var labels = pod.Metadata.Labels;
        if (Value(labels, RevisionHashLabel) == hash)
        {
            return true;
        }

        return Value(ds.Metadata.Annotations, TemplateGenerationAnnotation) is { } generation && Value(labels, TemplateGenerationLabel) == generation;
    }

    private async Task UpdateStatusAsync(V1DaemonSet ds, IReadOnlyList<V1Node> nodes, string hash, bool observed, CancellationToken cancellationToken)
    {
        var byNode = ByNode(await PodsAsync(ds, cancellationToken));
        var now = _time.GetUtcNow();
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
        foreach (var node in nodes)
        {
            var (shouldRun, _) = DaemonNodes.ShouldRun(node, ds);
            var scheduled = byNode.TryGetValue(node.Metadata.Name, out var pods) && pods.Count > 0;
            if (!shouldRun)
            {
                misscheduled += scheduled ? 1 : 0;
                continue;
            }

            desired++;
            if (!scheduled)
            {
                continue;
            }

            current++;
            var pod = OldestFirst(pods!)[0];
            if (Pods.IsReady(pod))
            {
                ready++;
                available += Pods.IsAvailable(pod, ds.Spec.MinReadySeconds ?? 0, now) ? 1 : 0;
            }

            updated += IsUpdated(pod, hash, ds) ? 1 : 0;
        }

        var status = ds.Status ?? new V1DaemonSetStatus();
        var unavailable = desired - available;
        var same = status.DesiredNumberScheduled == desired && status.CurrentNumberScheduled == current && status.NumberMisscheduled == misscheduled &&
            status.NumberReady == ready && (status.NumberAvailable ?? 0) == available && (status.UpdatedNumberScheduled ?? 0) == updated &&
            (status.NumberUnavailable ?? 0) == unavailable && status.ObservedGeneration >= ds.Metadata.Generation;
        if (!same)
        {
            var copy = DeepCopy.Of(ds);
            copy.Status ??= new V1DaemonSetStatus();
            copy.Status.DesiredNumberScheduled = desired;
            copy.Status.CurrentNumberScheduled = current;
            copy.Status.NumberMisscheduled = misscheduled;
            copy.Status.NumberReady = ready;
            copy.Status.NumberAvailable = available;
            copy.Status.UpdatedNumberScheduled = updated;
            copy.Status.NumberUnavailable = unavailable;
            if (observed)
            {
                copy.Status.ObservedGeneration = ds.Metadata.Generation;
            }

            try
            {
                await _client.UpdateStatusAsync(copy, cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsConflict(e))
            {
                // One retry on a fresh read, as upstream.
                if (await _client.GetAsync(ds.Metadata.NamespaceProperty, ds.Metadata.Name, cancellationToken) is { } fresh)
                {
                    fresh.Status = copy.Status;
                    await _client.UpdateStatusAsync(fresh, cancellationToken);
                }
            }
        }

        if (ds.Spec.MinReadySeconds is > 0 and var minReady && ready != available)
        {
            Queue.AddAfter(ObjectKeys.Of(ds), TimeSpan.FromSeconds(minReady));
        }
    }
}
