using Flotilla.Api.References;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Admission.Plugins;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Flotilla.Storage;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Admission.Protection;

/// <summary>
/// Lets protected storage go once it is free (upstream's pvc-protection and pv-protection controllers): a claim being
/// deleted loses its finalizer when no running pod of its namespace mounts it, a volume being deleted when it is no
/// longer bound. It writes through the registry; it runs in the API server until the controller manager (#6).
/// </summary>
public sealed partial class StorageProtectionKeeper(ResourceRegistry registry, CacheSet caches, ILogger<StorageProtectionKeeper> log) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly ResourceStorage _claims = registry.Find("", "v1", "persistentvolumeclaims")!;
    private readonly ResourceStorage _volumes = registry.Find("", "v1", "persistentvolumes")!;
    private readonly ResourceStorage _pods = registry.Find("", "v1", "pods")!;
    private readonly AdmissionLookup _lookup = new(registry, caches);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var revision = await registry.Store.GetCurrentRevisionAsync(stoppingToken);
                await caches.WaitFreshAsync(stoppingToken);
                foreach (var claim in _lookup.List<V1PersistentVolumeClaim>("", "persistentvolumeclaims", null).ToList())
                {
                    await CheckClaimAsync(claim, stoppingToken);
                }

                foreach (var volume in _lookup.List<V1PersistentVolume>("", "persistentvolumes", null).ToList())
                {
                    await CheckVolumeAsync(volume, stoppingToken);
                }

                await foreach (var e in registry.Store.WatchAsync("/registry/", revision, stoppingToken))
                {
                    await OnChangeAsync(e, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping, or the store closed under a host that failed to start: nothing left to follow.
                return;
            }
            catch (Exception e) when (e is StatusException or StoreException)
            {
                LogRetry(log, e.Message);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }

    private async Task OnChangeAsync(WatchEvent e, CancellationToken cancellationToken)
    {
        var key = e.Kv.Key;
        if (e.Type != Storage.WatchEventType.Delete && key.StartsWith(_claims.Resource.StoragePrefix, StringComparison.Ordinal))
        {
            await CheckClaimAsync((V1PersistentVolumeClaim)_claims.Decode(e.Kv).Object, cancellationToken);
        }
        else if (e.Type != Storage.WatchEventType.Delete && key.StartsWith(_volumes.Resource.StoragePrefix, StringComparison.Ordinal))
        {
            await CheckVolumeAsync((V1PersistentVolume)_volumes.Decode(e.Kv).Object, cancellationToken);
        }
        else if (key.StartsWith(_pods.Resource.StoragePrefix, StringComparison.Ordinal) && e.PrevKv is { } prev &&
                 (e.Type == Storage.WatchEventType.Delete || Quota.QuotaUsage.IsTerminal((V1Pod)_pods.Decode(e.Kv).Object)))
        {
            // A pod that stopped may have been what held a claim being deleted.
            var pod = (V1Pod)_pods.Decode(prev).Object;
            await caches.WaitFreshAsync(cancellationToken);
            foreach (var name in PodReferences.ClaimNames(pod))
            {
                if (await _lookup.GetAsync<V1PersistentVolumeClaim>(pod.Metadata.NamespaceProperty, name, cancellationToken) is { } claim)
                {
                    await CheckClaimAsync(claim, cancellationToken);
                }
            }
        }
    }

    private async Task CheckClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (!Releasable(claim, StorageObjectInUseProtection.ClaimFinalizer))
        {
            return;
        }

        await caches.WaitFreshAsync(cancellationToken);
        var ns = claim.Metadata.NamespaceProperty;
        var used = _lookup.List<V1Pod>("", "pods", ns).Any(p => !Quota.QuotaUsage.IsTerminal(p) && PodReferences.ClaimNames(p).Contains(claim.Metadata.Name));
        if (!used)
        {
            await ReleaseAsync(_claims, ns, claim.Metadata.Name, StorageObjectInUseProtection.ClaimFinalizer, cancellationToken);
        }
    }

    private async Task CheckVolumeAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (Releasable(volume, StorageObjectInUseProtection.VolumeFinalizer) && volume.Status?.Phase != "Bound")
        {
            await ReleaseAsync(_volumes, null, volume.Metadata.Name, StorageObjectInUseProtection.VolumeFinalizer, cancellationToken);
        }
    }

    private static bool Releasable(IKubernetesObject<V1ObjectMeta> obj, string finalizer) =>
        obj.Metadata.DeletionTimestamp is not null && obj.Metadata.Finalizers?.Contains(finalizer) == true;

    private static async Task ReleaseAsync(ResourceStorage storage, string? ns, string name, string finalizer, CancellationToken cancellationToken)
    {
        try
        {
            await storage.UpdateAsync(ns, name, storage.Strategy, current =>
            {
                current!.Metadata.Finalizers?.Remove(finalizer);
                return current;
            }, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Code is 404 or 409)
        {
            // Gone already, or changed meanwhile: the change brings it back here.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "storage protection: retrying after {Error}")]
    private static partial void LogRetry(ILogger logger, string error);
}
