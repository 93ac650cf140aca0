using Flotilla.Api.Volumes;
using Flotilla.Client;
using Flotilla.Client.Events;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.LocalPath;

/// <summary>Making a claim's volume: helper pod first, then the PersistentVolume (sig-storage's provisionClaimOperation, rancher's Provision).</summary>
public sealed partial class LocalPathProvisioner
{
    private async Task SyncClaimAsync(string key, string claimKey, CancellationToken cancellationToken)
    {
        var (ns, name) = ObjectKeys.Split(claimKey);
        if (_claims.Get(ns, name) is not { } claim
            || !string.IsNullOrEmpty(claim.Spec?.VolumeName)
            || claim.Metadata.DeletionTimestamp is not null
            || StorageAnnotations.Get(claim.Metadata, StorageAnnotations.StorageProvisioner) != ProvisionerName
            || _classes.Get(VolumeMatching.ClassOf(claim)) is not { Provisioner: ProvisionerName } storageClass)
        {
            return;
        }

        var volumeName = "pvc-" + claim.Metadata.Uid;
        var helperName = HelperPods.CreateName(volumeName);
        if (_volumes.Get(volumeName) is not null)
        {
            if (_pods.Get(HelperPods.Namespace, helperName) is not null)
            {
                await DeleteHelperAsync(helperName, cancellationToken);
            }

            return;
        }

        if (StorageAnnotations.Get(claim.Metadata, StorageAnnotations.SelectedNode) is not { } node)
        {
            if (storageClass.VolumeBindingMode != StorageAnnotations.WaitForFirstConsumer)
            {
                Failed(claim, storageClass, "configuration error, no node was specified");
            }

            return;
        }

        if ((claim.Spec?.AccessModes ?? []).Any(m => m is not ("ReadWriteOnce" or "ReadWriteOncePod")))
        {
            Failed(claim, storageClass, "NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes");
            return;
        }

        var root = RootOf(node);
        var path = $"{root.TrimEnd('/')}/{volumeName}_{ns}_{name}";
        var size = VolumeMatching.Storage(claim.Spec?.Resources?.Requests);
        if (_pods.Get(HelperPods.Namespace, helperName) is not { } helper)
        {
            _events.Event(claim, EventTypes.Normal, "Provisioning", $"External provisioner is provisioning volume for claim \"{ns}/{name}\"");
            try
            {
                await _client.CoreV1.CreateNamespacedPodAsync(HelperPods.Create(volumeName, node, root, path, size, key), HelperPods.Namespace, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsConflict(e))
            {
            }

            return;
        }

        var (done, failed, left) = HelperState(helper);
        if (failed is not null)
        {
            await DeleteHelperAsync(helperName, cancellationToken);
            Failed(claim, storageClass, $"create process failed: {failed}");
            throw new InvalidOperationException($"creating {path} on node {node}: {failed}");
        }

        if (!done)
        {
            Queue.AddAfter(key, left);
            return;
        }

        try
        {
            await _client.CoreV1.CreatePersistentVolumeAsync(Volume(claim, storageClass, volumeName, node, path), cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            // Made by an earlier pass whose answer was lost.
        }

        LogProvisioned(_log, claimKey, volumeName, path, node);
        _events.Event(claim, EventTypes.Normal, "ProvisioningSucceeded", $"Successfully provisioned volume {volumeName}");
        await DeleteHelperAsync(helperName, cancellationToken);
    }

    private void Failed(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string why) =>
        _events.Event(claim, EventTypes.Warning, "ProvisioningFailed", $"failed to provision volume with StorageClass \"{storageClass.Metadata.Name}\": {why}");

    /// <summary>The volume: a hostPath directory on the node, only usable there, pre-bound to the claim.</summary>
    private static V1PersistentVolume Volume(V1PersistentVolumeClaim claim, V1StorageClass storageClass, string name, string node, string path)
    {
        var reclaim = string.IsNullOrEmpty(storageClass.ReclaimPolicy) ? "Delete" : storageClass.ReclaimPolicy;
        return new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = new Dictionary<string, string> { [StorageAnnotations.ProvisionedBy] = ProvisionerName },
                Finalizers = reclaim == "Delete" ? [Finalizer] : null,
            },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = claim.Spec.Resources.Requests["storage"] },
                AccessModes = [.. claim.Spec.AccessModes ?? ["ReadWriteOnce"]],
                PersistentVolumeReclaimPolicy = reclaim,
                StorageClassName = storageClass.Metadata.Name,
                VolumeMode = "Filesystem",
                MountOptions = storageClass.MountOptions,
                HostPath = new V1HostPathVolumeSource { Path = path, Type = "DirectoryOrCreate" },
                NodeAffinity = new V1VolumeNodeAffinity
                {
                    Required = new V1NodeSelector
                    {
                        NodeSelectorTerms =
                        [
                            new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [node] }] },
                        ],
                    },
                },
                ClaimRef = VolumeMatching.ClaimReference(claim),
            },
        };
    }
}
