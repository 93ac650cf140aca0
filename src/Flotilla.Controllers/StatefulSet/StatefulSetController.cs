using Flotilla.Api.Selectors;
using Flotilla.Api.Serialization;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.StatefulSet;

/// <summary>
/// kube-controller-manager's StatefulSet controller (v1.32): pods <c>&lt;set&gt;-&lt;ordinal&gt;</c> with stable
/// identity and claims, created in order (OrderedReady: each waits for the one before to be Running and Ready;
/// Parallel: all at once) and deleted from the highest ordinal; failed pods recreated; the template's history in
/// ControllerRevisions (<c>currentRevision</c>/<c>updateRevision</c>); RollingUpdate replaces pods from the highest
/// ordinal down to <c>partition</c>, one at a time; OnDelete waits for the user.
/// </summary>
public sealed partial class StatefulSetController
{
    public const string Name = "statefulset-controller";

    private readonly Lister<V1StatefulSet> _sets;
    private readonly Lister<V1Pod> _pods;
    private readonly Lister<V1ControllerRevision> _revisions;
    private readonly IPodControl _podControl;
    private readonly IStatefulSetClient _client;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public StatefulSetController(Lister<V1StatefulSet> sets, Lister<V1Pod> pods, Lister<V1ControllerRevision> revisions, IPodControl podControl, IStatefulSetClient client, IEventRecorder events, TimeProvider time, ILogger log)
    {
        _sets = sets;
        _pods = pods;
        _revisions = revisions;
        _podControl = podControl;
        _client = client;
        _events = events;
        _time = time;
        _log = log;
        Queue = new WorkQueue<string>("statefulset", time);
    }

    public WorkQueue<string> Queue { get; }

    public static async Task RunAsync(SharedInformerFactory informers, IPodControl podControl, IStatefulSetClient client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var sets = informers.Informer<V1StatefulSet>();
        var pods = informers.Informer<V1Pod>();
        var revisions = informers.Informer<V1ControllerRevision>();
        var controller = new StatefulSetController(sets.Lister, pods.Lister, revisions.Lister, podControl, client, events, time, log);
        using var queue = controller.Queue;
        sets.AddEventHandler(new ResourceEventHandler<V1StatefulSet>
        {
            OnAdd = (set, _) => queue.Add(ObjectKeys.Of(set)),
            OnUpdate = (_, set) => queue.Add(ObjectKeys.Of(set)),
            OnDelete = set => queue.Add(ObjectKeys.Of(set)),
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => controller.PodChanged(pod),
            OnUpdate = (old, pod) =>
            {
                if (old.Metadata.ResourceVersion != pod.Metadata.ResourceVersion)
                {
                    controller.PodChanged(pod);
                }
            },
            OnDelete = controller.PodChanged,
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>One pass over one StatefulSet (upstream's sync and UpdateStatefulSet); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_sets.Get(ns, name) is not { } cached)
        {
            return;
        }

        var set = DeepCopy.Of(cached);
        set.Status ??= new V1StatefulSetStatus();
        var pods = await PodsAsync(set, cancellationToken);
        var revisions = _revisions.List(ns).Where(r => OwnerReferences.ControllerOf(r)?.Uid == set.Metadata.Uid).OrderBy(r => r.Revision).ThenBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
        var (current, update, collisionCount) = await RevisionsAsync(set, revisions, cancellationToken);
        var (status, error) = await UpdateReplicasAsync(set, current, update, collisionCount, pods, cancellationToken);
        await UpdateStatusAsync(set, status, cancellationToken);
        await TruncateHistoryAsync(set, pods, [.. revisions.Where(r => r.Metadata.Name != update.Metadata.Name), update], current, update, cancellationToken);
        if (set.Spec.MinReadySeconds is > 0 and var minReady && status.AvailableReplicas != set.Spec.Replicas)
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }

        if (error is not null)
        {
            throw new InvalidOperationException(error);
        }
    }

    /// <summary>The set's pods: those its selector matches and its name prefixes, adopted if orphaned.</summary>
    private Task<List<V1Pod>> PodsAsync(V1StatefulSet set, CancellationToken cancellationToken) =>
        new ControllerRefManager<V1Pod>(
            set,
            "apps/v1",
            "StatefulSet",
            LabelSelector.FromModel(set.Spec.Selector),
            _ => ControllerRefManager<V1Pod>.FreshOwnerCheckAsync(set, "StatefulSet", async () => await _client.GetAsync(set.Metadata.NamespaceProperty, set.Metadata.Name, cancellationToken)),
            (pod, patch, token) => _podControl.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, patch, token))
            .ClaimAsync(_pods.List(set.Metadata.NamespaceProperty).Where(p => StatefulPods.IsMember(set, p)), cancellationToken);

    /// <summary>
    /// Upstream's getStatefulSetRevisions: the update revision is the template now (an equal older revision is
    /// renumbered newest, which is how <c>rollout undo</c> lands); the current one is what the status names.
    /// </summary>
    private async Task<(V1ControllerRevision Current, V1ControllerRevision Update, int CollisionCount)> RevisionsAsync(V1StatefulSet set, List<V1ControllerRevision> revisions, CancellationToken cancellationToken)
    {
        var collisionCount = set.Status.CollisionCount ?? 0;
        var patch = ControllerRevisions.Patch(set.Spec.Template);
        long next = revisions.Count == 0 ? 1 : (revisions[^1].Revision ?? 0) + 1;
        var equal = revisions.Where(r => ControllerRevisions.Canonical(r.Data) == patch).ToList();
        V1ControllerRevision update;
        if (equal.Count > 0 && revisions[^1].Metadata.Name == equal[^1].Metadata.Name)
        {
            update = revisions[^1];
        }
        else if (equal.Count > 0)
        {
            var renumbered = DeepCopy.Of(equal[^1]);
            renumbered.Revision = next;
            update = await _client.UpdateRevisionAsync(renumbered, cancellationToken);
        }
        else
        {
            update = await CreateRevisionAsync(set, patch, next, () => collisionCount++, () => collisionCount, cancellationToken);
        }

        var current = revisions.FirstOrDefault(r => r.Metadata.Name == set.Status.CurrentRevision) ?? update;
        return (current, update, collisionCount);
    }

    /// <summary>Upstream's CreateControllerRevision: named by the hash of its data and the collision count, counting up past a name taken by other data.</summary>
    private async Task<V1ControllerRevision> CreateRevisionAsync(V1StatefulSet set, string patch, long revision, Action collided, Func<int> collisionCount, CancellationToken cancellationToken)
    {
        while (true)
        {
            var hash = ControllerRevisions.Hash(patch, collisionCount());
            var labels = new Dictionary<string, string>(set.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>()) { ["controller.kubernetes.io/hash"] = hash };
            var created = new V1ControllerRevision
            {
                ApiVersion = "apps/v1",
                Kind = "ControllerRevision",
                Metadata = new V1ObjectMeta
                {
                    Name = ControllerRevisions.Name(set.Metadata.Name, hash),
                    NamespaceProperty = set.Metadata.NamespaceProperty,
                    Labels = labels,
                    Annotations = set.Metadata.Annotations is { } a ? new Dictionary<string, string>(a) : null,
                    OwnerReferences = [OwnerReferences.ControllerRef(set, "apps/v1", "StatefulSet")],
                },
                Data = System.Text.Json.Nodes.JsonNode.Parse(patch),
                Revision = revision,
            };
            try
            {
                return await _client.CreateRevisionAsync(set.Metadata.NamespaceProperty, created, cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsConflict(e))
            {
                var existing = await _client.GetRevisionAsync(set.Metadata.NamespaceProperty, created.Metadata.Name, cancellationToken);
                if (existing is not null && ControllerRevisions.Canonical(existing.Data) == patch)
                {
                    return existing;
                }

                collided();
            }
        }
    }

    /// <summary>Upstream's truncateHistory: revisions no pod, and neither the current nor the update one, uses go, oldest first, down to the limit.</summary>
    private async Task TruncateHistoryAsync(V1StatefulSet set, List<V1Pod> pods, List<V1ControllerRevision> revisions, V1ControllerRevision current, V1ControllerRevision update, CancellationToken cancellationToken)
    {
        var live = pods.Select(StatefulPods.Revision).Append(current.Metadata.Name).Append(update.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var history = revisions.Where(r => !live.Contains(r.Metadata.Name)).OrderBy(r => r.Revision).ToList();
        var limit = set.Spec.RevisionHistoryLimit ?? 10;
        foreach (var old in history.Take(Math.Max(history.Count - limit, 0)))
        {
            await _client.DeleteRevisionAsync(old.Metadata.NamespaceProperty, old.Metadata.Name, cancellationToken);
        }
    }

    /// <summary>Writes the status when it changed; once every pod is updated and ready, the update revision becomes the current one.</summary>
    private async Task UpdateStatusAsync(V1StatefulSet set, V1StatefulSetStatus status, CancellationToken cancellationToken)
    {
        if (set.Spec.UpdateStrategy?.Type == "RollingUpdate" && status.UpdatedReplicas == status.Replicas && status.ReadyReplicas == status.Replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }

        var old = set.Status;
        if (old.Replicas == status.Replicas && old.ReadyReplicas == status.ReadyReplicas && old.CurrentReplicas == status.CurrentReplicas &&
            old.UpdatedReplicas == status.UpdatedReplicas && old.AvailableReplicas == status.AvailableReplicas && old.CurrentRevision == status.CurrentRevision &&
            old.UpdateRevision == status.UpdateRevision && old.ObservedGeneration == status.ObservedGeneration && old.CollisionCount == status.CollisionCount)
        {
            return;
        }

        var copy = DeepCopy.Of(set);
        copy.Status = status;
        try
        {
            await _client.UpdateStatusAsync(copy, cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            if (await _client.GetAsync(set.Metadata.NamespaceProperty, set.Metadata.Name, cancellationToken) is { } fresh)
            {
                fresh.Status = status;
                await _client.UpdateStatusAsync(fresh, cancellationToken);
            }
        }
    }

    private void PodChanged(V1Pod pod)
    {
        if (OwnerReferences.ControllerOf(pod) is { Kind: "StatefulSet" } owner)
        {
            if (_sets.Get(pod.Metadata.NamespaceProperty, owner.Name) is { } set && set.Metadata.Uid == owner.Uid)
            {
                Queue.Add(ObjectKeys.Of(set));
            }

            return;
        }

        var labels = Pods.Labels(pod);
        foreach (var set in _sets.List(pod.Metadata.NamespaceProperty))
        {
            if (labels is { Count: > 0 } && LabelSelector.FromModel(set.Spec.Selector) is { IsEmpty: false } selector && selector.Matches(labels))
            {
                Queue.Add(ObjectKeys.Of(set));
            }
        }
    }
}
