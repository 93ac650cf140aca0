using Flotilla.Api.Selectors;
using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Controllers.Framework;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.Deployment;

/// <summary>
/// kube-controller-manager's Deployment controller: a Deployment's pods come from ReplicaSets named
/// <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>, one per template it has had. A rollout scales the new one up
/// and the old ones down within <c>maxSurge</c> and <c>maxUnavailable</c> (RollingUpdate), or all old ones to zero
/// first (Recreate); a change of replicas alone scales them in proportion; a paused Deployment only scales. Revisions
/// live in ReplicaSet annotations, so a template equal to an old ReplicaSet's (a rollback) reuses that one.
/// </summary>
public sealed partial class DeploymentController
{
    public const string Name = "deployment-controller";
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";

    private const string ApiVersion = "apps/v1";
    private const string Kind = "Deployment";

    private readonly Lister<V1Deployment> _deployments;
    private readonly Lister<V1ReplicaSet> _replicaSets;
    private readonly Lister<V1Pod> _pods;
    private readonly IDeploymentClient _client;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public DeploymentController(Lister<V1Deployment> deployments, Lister<V1ReplicaSet> replicaSets, Lister<V1Pod> pods, IDeploymentClient client, IEventRecorder events, TimeProvider time, ILogger log)
    {
        _deployments = deployments;
        _replicaSets = replicaSets;
        _pods = pods;
        _client = client;
        _events = events;
        _time = time;
        _log = log;
        Queue = new WorkQueue<string>(Name, time);
    }

    public WorkQueue<string> Queue { get; }

    public static async Task RunAsync(SharedInformerFactory informers, IDeploymentClient client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var deployments = informers.Informer<V1Deployment>();
        var replicaSets = informers.Informer<V1ReplicaSet>();
        var pods = informers.Informer<V1Pod>();
        var controller = new DeploymentController(deployments.Lister, replicaSets.Lister, pods.Lister, client, events, time, log);
        using var queue = controller.Queue;
        deployments.AddEventHandler(new ResourceEventHandler<V1Deployment>
        {
            OnAdd = (d, _) => controller.Enqueue(d),
            OnUpdate = (_, d) => controller.Enqueue(d),
            OnDelete = controller.Enqueue,
        });
        replicaSets.AddEventHandler(new ResourceEventHandler<V1ReplicaSet>
        {
            OnAdd = (rs, _) => controller.ReplicaSetChanged(null, rs),
            OnUpdate = controller.ReplicaSetChanged,
            OnDelete = rs => controller.ReplicaSetChanged(rs, null),
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod> { OnDelete = controller.PodDeleted });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await new ControllerLoop(Name, controller.Queue, controller.SyncAsync, log).RunAsync(workers, cancellationToken);
    }

    /// <summary>One pass over one Deployment (upstream syncDeployment); safe to repeat.</summary>
    public async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_deployments.Get(ns, name) is not { } cached)
        {
            return;
        }

        var d = Api.Serialization.DeepCopy.Of(cached);
        d.Status ??= new V1DeploymentStatus();
        if (d.Spec.Selector is null || LabelSelector.FromModel(d.Spec.Selector).IsEmpty)
        {
            _events.Event(d, EventTypes.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if ((d.Status.ObservedGeneration ?? 0) < (d.Metadata.Generation ?? 0))
            {
                d.Status.ObservedGeneration = d.Metadata.Generation;
                await _client.UpdateStatusAsync(d, cancellationToken);
            }

            return;
        }

        var sets = await ClaimReplicaSetsAsync(d, cancellationToken);
        if (d.Metadata.DeletionTimestamp is not null)
        {
            var (newRs, oldSets) = Split(d, sets);
            await SyncStatusAsync(d, [.. oldSets, newRs], newRs, cancellationToken);
            return;
        }

        await CheckPausedConditionsAsync(d, cancellationToken);
        if (d.Spec.Paused == true || IsScalingEvent(d, sets))
        {
            await ScaleOnlyAsync(d, sets, cancellationToken);
            return;
        }

        if (d.Spec.Strategy?.Type == "Recreate")
        {
            await RecreateAsync(d, sets, cancellationToken);
        }
        else
        {
            await RollingAsync(d, sets, cancellationToken);
        }
    }

    internal void Enqueue(V1Deployment d) => Queue.Add(ObjectKeys.Of(d));

    internal void ReplicaSetChanged(V1ReplicaSet? old, V1ReplicaSet? rs)
    {
        foreach (var set in new[] { old, rs }.OfType<V1ReplicaSet>())
        {
            if (OwnerReferences.ControllerOf(set) is { } owner)
            {
                if (owner.Kind == Kind && _deployments.Get(set.Metadata.NamespaceProperty, owner.Name) is { } d && d.Metadata.Uid == owner.Uid)
                {
                    Enqueue(d);
                }
            }
            else
            {
                // An orphan: the Deployments that select it may adopt it.
                foreach (var d in _deployments.List(set.Metadata.NamespaceProperty).Where(d => LabelSelector.FromModel(d.Spec.Selector) is { IsEmpty: false } s && s.Matches(set.Metadata.Labels as IReadOnlyDictionary<string, string>)))
                {
                    Enqueue(d);
                }
            }
        }
    }

    /// <summary>Recreate waits for the old pods to be gone: each pod that goes may let it go on.</summary>
    internal void PodDeleted(V1Pod pod)
    {
        if (OwnerReferences.ControllerOf(pod) is { Kind: "ReplicaSet" } rsRef &&
            _replicaSets.Get(pod.Metadata.NamespaceProperty, rsRef.Name) is { } rs &&
            OwnerReferences.ControllerOf(rs) is { Kind: Kind } owner &&
            _deployments.Get(pod.Metadata.NamespaceProperty, owner.Name) is { Spec.Strategy.Type: "Recreate" } d)
        {
            Enqueue(d);
        }
    }

    /// <summary>The ReplicaSets this Deployment controls, after adoption and release (upstream ClaimReplicaSets).</summary>
    private Task<List<V1ReplicaSet>> ClaimReplicaSetsAsync(V1Deployment d, CancellationToken cancellationToken) =>
        new ControllerRefManager<V1ReplicaSet>(
            d,
            ApiVersion,
            Kind,
            LabelSelector.FromModel(d.Spec.Selector),
            _ => ControllerRefManager<V1ReplicaSet>.FreshOwnerCheckAsync(d, Kind, async () => await _client.GetAsync(d.Metadata.NamespaceProperty, d.Metadata.Name, cancellationToken)),
            (rs, patch, token) => _client.PatchReplicaSetAsync(rs.Metadata.NamespaceProperty, rs.Metadata.Name, patch, token)).ClaimAsync(_replicaSets.List(d.Metadata.NamespaceProperty), cancellationToken);

    /// <summary>Pods of the Deployment's ReplicaSets that are not finished (Recreate waits for them).</summary>
    private bool OldPodsRunning(V1ReplicaSet? newRs, IReadOnlyList<V1ReplicaSet> oldSets)
    {
        if (DeploymentMath.ActualReplicas(oldSets) > 0)
        {
            return true;
        }

        var oldUids = oldSets.Select(r => r.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        return oldSets.Count > 0 && _pods.List(oldSets[0].Metadata.NamespaceProperty).Any(p =>
            OwnerReferences.ControllerOf(p) is { } owner && oldUids.Contains(owner.Uid) && owner.Uid != newRs?.Metadata.Uid &&
            p.Status?.Phase is not ("Succeeded" or "Failed"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "deployment {Key}: scaled {Direction} replica set {ReplicaSet} from {From} to {To}")]
    private static partial void LogScaled(ILogger log, string key, string direction, string replicaSet, int from, int to);
}
