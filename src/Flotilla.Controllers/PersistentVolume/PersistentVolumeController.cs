using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers.PersistentVolume;

/// <summary>
/// kube-controller-manager's persistent volume binder (v1.32): binds each claim to a fitting volume — the one it
/// names, one pre-bound to it, or the smallest <c>Available</c> match — and keeps both halves of a binding and both
/// phases true; asks a class's provisioner for a volume when none fits (annotating the claim, as for any external
/// provisioner); releases a volume whose claim is gone and reclaims it per <c>persistentVolumeReclaimPolicy</c>
/// (a provisioned volume is deleted by its provisioner; Retain keeps it <c>Released</c>). Claims of a
/// <c>WaitForFirstConsumer</c> class wait for the scheduler's <c>selected-node</c>; unlike upstream, whose scheduler
/// binds static volumes itself, the binder matches them then, against that node's labels.
/// </summary>
public sealed partial class PersistentVolumeController
{
    public const string Name = "persistent-volume-binder";

    /// <summary>Upstream's <c>--pvclaimbinder-sync-period</c>: everything is looked at again this often.</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(15);

    private readonly Lister<V1PersistentVolumeClaim> _claims;
    private readonly Lister<V1PersistentVolume> _volumes;
    private readonly Lister<V1StorageClass> _classes;
    private readonly Lister<V1Node> _nodes;
    private readonly IKubernetes _client;
    private readonly IEventRecorder _events;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public PersistentVolumeController(Lister<V1PersistentVolumeClaim> claims, Lister<V1PersistentVolume> volumes, Lister<V1StorageClass> classes, Lister<V1Node> nodes, IKubernetes client, IEventRecorder events, TimeProvider time, ILogger log)
    {
        _claims = claims;
        _volumes = volumes;
        _classes = classes;
        _nodes = nodes;
        _client = client;
        _events = events;
        _time = time;
        _log = log;
        ClaimQueue = new WorkQueue<string>("claims", time);
        VolumeQueue = new WorkQueue<string>("volumes", time);
    }

    public WorkQueue<string> ClaimQueue { get; }

    public WorkQueue<string> VolumeQueue { get; }

    public static async Task RunAsync(SharedInformerFactory informers, IKubernetes client, IEventRecorder events, int workers, TimeProvider time, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(informers);
        var claims = informers.Informer<V1PersistentVolumeClaim>();
        var volumes = informers.Informer<V1PersistentVolume>();
        var controller = new PersistentVolumeController(claims.Lister, volumes.Lister, informers.Informer<V1StorageClass>().Lister, informers.Informer<V1Node>().Lister, client, events, time, log);
        using var claimQueue = controller.ClaimQueue;
        using var volumeQueue = controller.VolumeQueue;
        claims.AddEventHandler(new ResourceEventHandler<V1PersistentVolumeClaim>
        {
            OnAdd = (claim, _) => claimQueue.Add(ObjectKeys.Of(claim)),
            OnUpdate = (_, claim) => claimQueue.Add(ObjectKeys.Of(claim)),
            OnDelete = claim =>
            {
                // The claim's volume is released now.
                if (!string.IsNullOrEmpty(claim.Spec?.VolumeName))
                {
                    volumeQueue.Add(claim.Spec.VolumeName);
                }
            },
        });
        volumes.AddEventHandler(new ResourceEventHandler<V1PersistentVolume>
        {
            OnAdd = (volume, _) => controller.VolumeChanged(volume),
            OnUpdate = (_, volume) => controller.VolumeChanged(volume),
            OnDelete = volume => controller.VolumeChanged(volume),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        await Task.WhenAll(
            new ControllerLoop(Name, claimQueue, controller.SyncClaimAsync, log).RunAsync(workers, cancellationToken),
            new ControllerLoop(Name, volumeQueue, controller.SyncVolumeAsync, log).RunAsync(workers, cancellationToken),
            Periodic.RunAsync(ResyncPeriod, _ => controller.ResyncAsync(), e => LogResyncFailed(log, e.Message), time, cancellationToken));
    }

    private void VolumeChanged(V1PersistentVolume volume)
    {
        VolumeQueue.Add(volume.Metadata.Name);
        if (volume.Spec?.ClaimRef is { } claimRef)
        {
            ClaimQueue.Add(ObjectKeys.Of(claimRef.NamespaceProperty ?? string.Empty, claimRef.Name));
        }
    }

    private Task ResyncAsync()
    {
        foreach (var claim in _claims.List())
        {
            ClaimQueue.Add(ObjectKeys.Of(claim));
        }

        foreach (var volume in _volumes.List())
        {
            VolumeQueue.Add(volume.Metadata.Name);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "persistent volume resync failed: {Error}")]
    private static partial void LogResyncFailed(ILogger log, string error);
}
