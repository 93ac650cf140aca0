using Flotilla.Api.Selectors;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.ReplicaSet;

/// <summary>
/// kube-controller-manager's ReplicaSet controller: keeps <c>spec.replicas</c> active pods for every ReplicaSet. It
/// adopts matching orphans and releases children that stopped matching, creates missing pods in slow-start batches
/// (1, 2, 4, ...) and deletes surplus ones in <see cref="DeletionOrder"/>, never acting again before its informer
/// has shown its last round of writes (<see cref="Expectations"/>), and reports counts and ReplicaFailure in status.
/// A second instance keeps ReplicationControllers the same way (<see cref="ReplicaSetKind"/>).
/// </summary>
public sealed partial class ReplicaSetController
{
    /// <summary>Upstream's burstReplicas: the most pods created or deleted in one sync.</summary>
    public const int BurstReplicas = 500;

    private readonly ReplicaSetKind _kind;
    private readonly IReplicaSetReader _replicaSets;
    private readonly Lister<V1Pod> _pods;
    private readonly IPodControl _podControl;
    private readonly IReplicaSetClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public ReplicaSetController(ReplicaSetKind kind, IReplicaSetReader replicaSets, Lister<V1Pod> pods, IPodControl podControl, IReplicaSetClient client, TimeProvider time, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(kind);
        _kind = kind;
        _replicaSets = replicaSets;
        _pods = pods;
        _podControl = podControl;
        _client = client;
        _time = time;
        _log = log;
        Expectations = new Expectations(time);
        Queue = new WorkQueue<string>(kind.Name, time);
    }

    public WorkQueue<string> Queue { get; }

    public Expectations Expectations { get; }

    /// <summary>Keeps ReplicaSets: registers the handlers, waits for the caches, and syncs with <paramref name="workers"/> workers.</summary>
    public static Task RunAsync(SharedInformerFactory informers, IPodControl podControl, IReplicaSetClient client, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var replicaSets = informers.Informer<V1ReplicaSet>();
        var controller = new ReplicaSetController(ReplicaSetKind.ReplicaSet, new ReplicaSetReader(replicaSets.Lister), informers.Informer<V1Pod>().Lister, podControl, client, time, log);
        replicaSets.AddEventHandler(new ResourceEventHandler<V1ReplicaSet>
        {
            OnAdd = (rs, _) => controller.Enqueue(rs),
            OnUpdate = (_, rs) => controller.Enqueue(rs),
            OnDelete = controller.ReplicaSetDeleted,
        });
        return controller.RunAsync(informers, workers, cancellationToken);
    }

    /// <summary>Keeps ReplicationControllers, seen as ReplicaSets (upstream's replication manager).</summary>
    public static Task RunReplicationControllersAsync(SharedInformerFactory informers, IPodControl podControl, IKubernetes client, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var controllers = informers.Informer<V1ReplicationController>();
        var controller = new ReplicaSetController(ReplicaSetKind.ReplicationController, new ReplicationControllerReader(controllers.Lister), informers.Informer<V1Pod>().Lister, podControl, new ReplicationControllerClient(client), time, log);
        controllers.AddEventHandler(new ResourceEventHandler<V1ReplicationController>
        {
            OnAdd = (rc, _) => controller.Enqueue(ReplicationControllers.ToReplicaSet(rc)),
            OnUpdate = (_, rc) => controller.Enqueue(ReplicationControllers.ToReplicaSet(rc)),
            OnDelete = rc => controller.ReplicaSetDeleted(ReplicationControllers.ToReplicaSet(rc)),
        });
        return controller.RunAsync(informers, workers, cancellationToken);
    }

    private async Task RunAsync(SharedInformerFactory informers, int workers, CancellationToken cancellationToken)
    {
        using var queue = Queue;
        informers.Informer<V1Pod>().AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => PodAdded(pod),
            OnUpdate = PodUpdated,
            OnDelete = PodDeleted,
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(_kind.Name, Queue, SyncAsync, _log).RunAsync(workers, cancellationToken);
    }

    /// <summary>One pass over one ReplicaSet (upstream syncReplicaSet); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        var rs = _replicaSets.Get(ns, name);
        if (rs is null)
        {
            Expectations.Delete(key);
            return;
        }

        var needsSync = Expectations.Satisfied(key) && rs.Metadata.DeletionTimestamp is null;
        var selector = LabelSelector.FromModel(rs.Spec.Selector);
        var active = _pods.List(ns).Where(Pods.IsActive).ToList();
        var owned = await new ControllerRefManager<V1Pod>(
            rs,
            _kind.ApiVersion,
            _kind.Kind,
            selector,
            _ => ControllerRefManager<V1Pod>.FreshOwnerCheckAsync(rs, _kind.Kind, async () => await _client.GetAsync(rs.Metadata.NamespaceProperty, rs.Metadata.Name, cancellationToken)),
            (pod, patch, token) => _podControl.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, patch, token)).ClaimAsync(active, cancellationToken);

        string? manageError = null;
        var creating = owned.Count < rs.Spec.Replicas;
        if (needsSync)
        {
            manageError = await ManageReplicasAsync(key, rs, owned, cancellationToken);
        }

        var status = ReplicaSetStatusCalculator.Calculate(rs, owned, manageError, creating, _time.GetUtcNow());
        var updated = await UpdateStatusAsync(rs, status, cancellationToken);
        var minReady = rs.Spec.MinReadySeconds ?? 0;
        if (manageError is null && minReady > 0 && updated.Status.ReadyReplicas == rs.Spec.Replicas && updated.Status.AvailableReplicas != rs.Spec.Replicas)
        {
            // Pods become available minReadySeconds after ready with no event to tell: look again then.
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }

        if (manageError is not null)
        {
            throw new InvalidOperationException(manageError);
        }
    }

    private async Task<string?> ManageReplicasAsync(string key, V1ReplicaSet rs, IReadOnlyList<V1Pod> owned, CancellationToken cancellationToken)
    {
        var diff = owned.Count - (rs.Spec.Replicas ?? 1);
        if (diff < 0)
        {
            var count = Math.Min(-diff, BurstReplicas);
            Expectations.ExpectCreations(key, count);
            LogTooFew(_log, _kind.Kind, key, rs.Spec.Replicas ?? 1, owned.Count, count);
            var controllerRef = OwnerReferences.ControllerRef(rs, _kind.ApiVersion, _kind.Kind);
            var (created, error) = await SlowStart.CreateAsync(count, () => _podControl.CreateAsync(rs.Metadata.NamespaceProperty, rs.Spec.Template, rs, controllerRef, cancellationToken));
            for (var skipped = count - created; skipped > 0; skipped--)
            {
                // Creations not attempted after a failure will never be observed.
                Expectations.CreationObserved(key);
            }

            return error;
        }

        if (diff > 0)
        {
            var count = Math.Min(diff, BurstReplicas);
            LogTooMany(_log, _kind.Kind, key, rs.Spec.Replicas ?? 1, owned.Count, count);
            var victims = DeletionOrder.PodsToDelete(owned, RelatedPods(rs), count, _time.GetUtcNow());
            Expectations.ExpectDeletions(key, victims.Select(ObjectKeys.Of));
            var errors = await Task.WhenAll(victims.Select(async pod =>
            {
                try
                {
                    await _podControl.DeleteAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, rs, cancellationToken);
                    return null;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not deleted (or gone already): its deletion will not be observed.
                    Expectations.DeletionObserved(key, ObjectKeys.Of(pod));
                    return ApiErrors.IsNotFound(e) ? null : ApiErrors.Describe(e);
                }
            }));
            return errors.FirstOrDefault(e => e is not null);
        }

        return null;
    }

    /// <summary>Pods of the ReplicaSets with the same controller (a Deployment's), to spread scale-down across nodes.</summary>
    private List<V1Pod> RelatedPods(V1ReplicaSet rs)
    {
        if (OwnerReferences.ControllerOf(rs) is not { } owner)
        {
            return [];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var related = new List<V1Pod>();
        foreach (var sibling in _replicaSets.List(rs.Metadata.NamespaceProperty).Where(r => OwnerReferences.ControllerOf(r)?.Uid == owner.Uid))
        {
            related.AddRange(_pods.List(rs.Metadata.NamespaceProperty, LabelSelector.FromModel(sibling.Spec.Selector)).Where(p => seen.Add(p.Metadata.Uid)));
        }

        return related;
    }

    private async Task<V1ReplicaSet> UpdateStatusAsync(V1ReplicaSet rs, V1ReplicaSetStatus status, CancellationToken cancellationToken)
    {
        if (ReplicaSetStatusCalculator.Same(rs.Status, status))
        {
            return rs;
        }

        // The cached object is shared: write a copy. One retry on a fresh read, as upstream.
        var copy = Api.Serialization.DeepCopy.Of(rs);
        copy.Status = status;
        try
        {
            return await _client.UpdateStatusAsync(copy, cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            var fresh = await _client.GetAsync(rs.Metadata.NamespaceProperty, rs.Metadata.Name, cancellationToken);
            if (fresh is null || fresh.Metadata.Uid != rs.Metadata.Uid)
            {
                return rs;
            }

            fresh.Status = status;
            return await _client.UpdateStatusAsync(fresh, cancellationToken);
        }
    }

}
