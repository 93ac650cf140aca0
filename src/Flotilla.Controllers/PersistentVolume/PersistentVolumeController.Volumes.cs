using Flotilla.Api;
using Flotilla.Api.Serialization;
using Flotilla.Api.Volumes;
using Flotilla.Client;
using Flotilla.Client.Events;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.PersistentVolume;

/// <summary>The volume half of the binder (upstream's syncVolume, reclaimVolume, bind and unbind).</summary>
public sealed partial class PersistentVolumeController
{
    public async Task SyncVolumeAsync(string name, CancellationToken cancellationToken)
    {
        if (_volumes.Get(name) is not { } volume)
        {
            return;
        }

        if (volume.Spec?.ClaimRef is not { } claimRef || string.IsNullOrEmpty(claimRef.Uid))
        {
            // Unused, or pre-bound by its maker and waiting for its claim.
            await SetVolumePhaseAsync(volume, "Available", null, cancellationToken);
            return;
        }

        var claim = _claims.Get(claimRef.NamespaceProperty ?? string.Empty, claimRef.Name);
        if (claim is null)
        {
            // The cache may not have the claim yet: the volume is released only if the API server agrees.
            try
            {
                claim = await _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claimRef.Name, claimRef.NamespaceProperty, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
            }
        }

        if (claim is not null && claim.Metadata.Uid != claimRef.Uid)
        {
            claim = null;   // the claim it was bound to is gone; this one is another of the same name
        }

        if (claim is null)
        {
            await ReleaseAsync(volume, cancellationToken);
        }
        else if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            ClaimQueue.Add(ObjectKeys.Of(claim));
        }
        else if (claim.Spec.VolumeName == volume.Metadata.Name)
        {
            await SetVolumePhaseAsync(volume, "Bound", null, cancellationToken);
        }
        else if (StorageAnnotations.Has(volume.Metadata, StorageAnnotations.ProvisionedBy) && volume.Spec.PersistentVolumeReclaimPolicy == "Delete")
        {
            // Provisioned for a claim that got bound elsewhere: nobody needs it.
            await ReleaseAsync(volume, cancellationToken);
        }
        else if (StorageAnnotations.Has(volume.Metadata, StorageAnnotations.BoundByController))
        {
            await UnbindAsync(volume, cancellationToken);
        }
    }

    /// <summary>Both halves of a binding, then both statuses (upstream's bind): each step is skipped when already done, so a sync that failed halfway finishes it.</summary>
    private async Task BindAsync(V1PersistentVolume volume, V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (volume.Spec.ClaimRef?.Uid != claim.Metadata.Uid || !VolumeMatching.IsBoundTo(volume, claim))
        {
            var changed = DeepCopy.Of(volume);
            if (changed.Spec.ClaimRef is null)
            {
                changed.Metadata.Annotations ??= new Dictionary<string, string>();
                changed.Metadata.Annotations[StorageAnnotations.BoundByController] = "yes";
            }

            changed.Spec.ClaimRef = VolumeMatching.ClaimReference(claim);
            volume = await _client.CoreV1.ReplacePersistentVolumeAsync(changed, volume.Metadata.Name, cancellationToken: cancellationToken);
        }

        await SetVolumePhaseAsync(volume, "Bound", null, cancellationToken);

        if (claim.Spec.VolumeName != volume.Metadata.Name || !StorageAnnotations.Has(claim.Metadata, StorageAnnotations.BindCompleted))
        {
            var changed = DeepCopy.Of(claim);
            changed.Metadata.Annotations ??= new Dictionary<string, string>();
            if (changed.Spec.VolumeName != volume.Metadata.Name)
            {
                changed.Spec.VolumeName = volume.Metadata.Name;
                changed.Metadata.Annotations[StorageAnnotations.BoundByController] = "yes";
            }

            changed.Metadata.Annotations[StorageAnnotations.BindCompleted] = "yes";
            claim = await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(changed, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }

        var capacity = volume.Spec.Capacity;
        var modes = volume.Spec.AccessModes ?? [];
        if (claim.Status?.Phase != "Bound"
            || !(claim.Status.AccessModes ?? []).SequenceEqual(modes)
            || VolumeMatching.Storage(claim.Status.Capacity) != VolumeMatching.Storage(capacity))
        {
            var changed = DeepCopy.Of(claim);
            changed.Status ??= new V1PersistentVolumeClaimStatus();
            changed.Status.Phase = "Bound";
            changed.Status.AccessModes = [.. modes];
            changed.Status.Capacity = capacity is null ? null : new Dictionary<string, ResourceQuantity>(capacity);
            await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(changed, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The claim is gone: the volume is Released and reclaimed per its policy (upstream's reclaimVolume).</summary>
    private async Task ReleaseAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        if (volume.Status?.Phase is not ("Released" or "Failed"))
        {
            volume = await SetVolumePhaseAsync(volume, "Released", null, cancellationToken);
        }

        switch (volume.Spec.PersistentVolumeReclaimPolicy)
        {
            case "Delete" when StorageAnnotations.Has(volume.Metadata, StorageAnnotations.ProvisionedBy):
                // Its provisioner deletes it.
                break;
            case "Delete" when volume.Status?.Phase != "Failed":
                var noDeleter = $"error getting deleter volume plugin for volume \"{volume.Metadata.Name}\": no deletable volume plugin matched";
                _events.Event(volume, EventTypes.Warning, "VolumeFailedDelete", noDeleter);
                await SetVolumePhaseAsync(volume, "Failed", noDeleter, cancellationToken);
                break;
            case "Recycle" when volume.Status?.Phase != "Failed":
                _events.Event(volume, EventTypes.Warning, "VolumeFailedRecycle", "No recycler plugin found for the volume!");
                await SetVolumePhaseAsync(volume, "Failed", "No recycler plugin found for the volume!", cancellationToken);
                break;
            default:
                // Retain: the data stays until an administrator deals with it.
                break;
        }
    }

    /// <summary>Drops the binder's half of a binding whose claim went elsewhere: a volume its maker pre-bound keeps the claim's name.</summary>
    private async Task UnbindAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var changed = DeepCopy.Of(volume);
        if (StorageAnnotations.Has(changed.Metadata, StorageAnnotations.BoundByController))
        {
            changed.Spec.ClaimRef = null;
            changed.Metadata.Annotations!.Remove(StorageAnnotations.BoundByController);
        }
        else
        {
            changed.Spec.ClaimRef.Uid = null;
        }

        volume = await _client.CoreV1.ReplacePersistentVolumeAsync(changed, volume.Metadata.Name, cancellationToken: cancellationToken);
        await SetVolumePhaseAsync(volume, "Available", null, cancellationToken);
    }

    private async Task<V1PersistentVolume> SetVolumePhaseAsync(V1PersistentVolume volume, string phase, string? message, CancellationToken cancellationToken)
    {
        if (volume.Status?.Phase == phase && volume.Status.Message == message)
        {
            return volume;
        }

        var changed = DeepCopy.Of(volume);
        changed.Status ??= new V1PersistentVolumeStatus();
        if (changed.Status.Phase != phase)
        {
            changed.Status.LastPhaseTransitionTime = Timestamps.Now(_time);
        }

        changed.Status.Phase = phase;
        changed.Status.Message = message;
        return await _client.CoreV1.ReplacePersistentVolumeStatusAsync(changed, volume.Metadata.Name, cancellationToken: cancellationToken);
    }
}
