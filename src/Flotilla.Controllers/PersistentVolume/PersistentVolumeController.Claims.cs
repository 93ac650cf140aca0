using Flotilla.Api.Volumes;
using Flotilla.Client;
using Flotilla.Client.Events;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.PersistentVolume;

/// <summary>The claim half of the binder (upstream's syncClaim, syncUnboundClaim and syncBoundClaim).</summary>
public sealed partial class PersistentVolumeController
{
    public async Task SyncClaimAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(key);
        if (_claims.Get(ns, name) is not { } claim)
        {
            return;
        }

        if (StorageAnnotations.Has(claim.Metadata, StorageAnnotations.BindCompleted))
        {
            await SyncBoundClaimAsync(claim, cancellationToken);
        }
        else
        {
            await SyncUnboundClaimAsync(claim, cancellationToken);
        }
    }

    private async Task SyncUnboundClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            var className = VolumeMatching.ClassOf(claim);
            var storageClass = className.Length == 0 ? null : _classes.Get(className);
            var selectedNode = StorageAnnotations.Get(claim.Metadata, StorageAnnotations.SelectedNode);
            var delayed = storageClass?.VolumeBindingMode == StorageAnnotations.WaitForFirstConsumer && selectedNode is null;
            var node = selectedNode is null ? null : _nodes.Get(selectedNode);
            if (VolumeMatching.FindBest(claim, _volumes.List(), node, delayed) is { } match)
            {
                await BindAsync(match, claim, cancellationToken);
                return;
            }

            if (delayed)
            {
                _events.Event(claim, EventTypes.Normal, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            }
            else if (className.Length == 0)
            {
                _events.Event(claim, EventTypes.Normal, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            }
            else if (storageClass is null)
            {
                _events.Event(claim, EventTypes.Warning, "ProvisioningFailed", $"storageclass.storage.k8s.io \"{className}\" not found");
            }
            else
            {
                claim = await AskProvisionerAsync(claim, storageClass.Provisioner, cancellationToken);
            }

            await SetClaimPhaseAsync(claim, "Pending", cancellationToken);
            return;
        }

        // The user named a volume.
        if (_volumes.Get(claim.Spec.VolumeName) is not { } volume)
        {
            await SetClaimPhaseAsync(claim, "Pending", cancellationToken);
            return;
        }

        if (volume.Spec?.ClaimRef is null)
        {
            if (Mismatch(volume, claim) is { } why)
            {
                _events.Event(claim, EventTypes.Warning, "VolumeMismatch", $"Cannot bind to requested volume \"{volume.Metadata.Name}\": {why}");
                await SetClaimPhaseAsync(claim, "Pending", cancellationToken);
                return;
            }

            await BindAsync(volume, claim, cancellationToken);
        }
        else if (VolumeMatching.IsBoundTo(volume, claim))
        {
            await BindAsync(volume, claim, cancellationToken);
        }
        else
        {
            _events.Event(claim, EventTypes.Warning, "FailedBinding", $"volume \"{volume.Metadata.Name}\" already bound to a different claim.");
            await SetClaimPhaseAsync(claim, "Pending", cancellationToken);
        }
    }

    private async Task SyncBoundClaimAsync(V1PersistentVolumeClaim claim, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            await LoseClaimAsync(claim, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!", cancellationToken);
            return;
        }

        if (_volumes.Get(claim.Spec.VolumeName) is not { } volume)
        {
            await LoseClaimAsync(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!", cancellationToken);
            return;
        }

        if (volume.Spec?.ClaimRef is null || (volume.Spec.ClaimRef.Uid == claim.Metadata.Uid && VolumeMatching.IsBoundTo(volume, claim)))
        {
            await BindAsync(volume, claim, cancellationToken);
            return;
        }

        await LoseClaimAsync(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly", cancellationToken);
    }

    /// <summary>Names the class's provisioner on the claim, which is how an external provisioner learns it has work.</summary>
    private async Task<V1PersistentVolumeClaim> AskProvisionerAsync(V1PersistentVolumeClaim claim, string provisioner, CancellationToken cancellationToken)
    {
        _events.Event(claim, EventTypes.Normal, "ExternalProvisioning",
            $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
        if (StorageAnnotations.Get(claim.Metadata, StorageAnnotations.StorageProvisioner) == provisioner
            && StorageAnnotations.Get(claim.Metadata, StorageAnnotations.BetaStorageProvisioner) == provisioner)
        {
            return claim;
        }

        var changed = Api.Serialization.DeepCopy.Of(claim);
        changed.Metadata.Annotations ??= new Dictionary<string, string>();
        changed.Metadata.Annotations[StorageAnnotations.StorageProvisioner] = provisioner;
        changed.Metadata.Annotations[StorageAnnotations.BetaStorageProvisioner] = provisioner;
        return await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(changed, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    private async Task LoseClaimAsync(V1PersistentVolumeClaim claim, string reason, string message, CancellationToken cancellationToken)
    {
        if (claim.Status?.Phase != "Lost")
        {
            _events.Event(claim, EventTypes.Warning, reason, message);
        }

        await SetClaimPhaseAsync(claim, "Lost", cancellationToken);
    }

    private async Task SetClaimPhaseAsync(V1PersistentVolumeClaim claim, string phase, CancellationToken cancellationToken)
    {
        if (claim.Status?.Phase == phase)
        {
            return;
        }

        var changed = Api.Serialization.DeepCopy.Of(claim);
        changed.Status ??= new V1PersistentVolumeClaimStatus();
        changed.Status.Phase = phase;
        await _client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(changed, claim.Metadata.Name, claim.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    /// <summary>Why a volume the claim names cannot serve it (upstream's checkVolumeSatisfyClaim), or null when it can.</summary>
    private static string? Mismatch(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        if (VolumeMatching.Storage(volume.Spec?.Capacity) < VolumeMatching.Storage(claim.Spec?.Resources?.Requests))
        {
            return "requested PV is too small";
        }

        if (VolumeMatching.ClassOf(volume) != VolumeMatching.ClassOf(claim))
        {
            return "storageClassName does not match";
        }

        if (VolumeMatching.Mode(volume.Spec?.VolumeMode) != VolumeMatching.Mode(claim.Spec?.VolumeMode))
        {
            return "incompatible volumeMode";
        }

        return VolumeMatching.HasAccessModes(volume, claim) ? null : "incompatible accessMode";
    }
}
