using Flotilla.Api.Serialization;
using Flotilla.Api.Volumes;
using Flotilla.Client;
using Flotilla.Client.Events;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.LocalPath;

/// <summary>Removing a volume it made: once Released under reclaim policy Delete, or deleted, a helper pod removes the directory, then the volume goes.</summary>
public sealed partial class LocalPathProvisioner
{
    private async Task SyncVolumeAsync(string key, string name, CancellationToken cancellationToken)
    {
        if (_volumes.Get(name) is not { } volume || StorageAnnotations.Get(volume.Metadata, StorageAnnotations.ProvisionedBy) != ProvisionerName)
        {
            return;
        }

        var deleting = volume.Metadata.DeletionTimestamp is not null;
        var ours = volume.Metadata.Finalizers?.Contains(Finalizer) == true;
        if (volume.Spec.PersistentVolumeReclaimPolicy != "Delete")
        {
            // Retained: the directory stays, and so may the object.
            if (ours)
            {
                await DropFinalizerAsync(volume, cancellationToken);
            }

            return;
        }

        if (volume.Status?.Phase != "Released" && !deleting)
        {
            return;
        }

        if (deleting && !ours)
        {
            return;
        }

        var node = NodeOf(volume);
        var path = volume.Spec.HostPath?.Path;
        var helperName = HelperPods.DeleteName(name);
        if (node is not null && path is not null && _nodes.Get(node) is not null)
        {
            if (_pods.Get(HelperPods.Namespace, helperName) is not { } helper)
            {
                var root = Path.GetDirectoryName(path) ?? RootOf(node);
                try
                {
                    await _client.CoreV1.CreateNamespacedPodAsync(HelperPods.Delete(name, node, root, path, VolumeMatching.Storage(volume.Spec.Capacity), key), HelperPods.Namespace, cancellationToken: cancellationToken);
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
                _events.Event(volume, EventTypes.Warning, "VolumeFailedDelete", $"failed to delete volume {name}: {failed}");
                throw new InvalidOperationException($"deleting {path} on node {node}: {failed}");
            }

            if (!done)
            {
                Queue.AddAfter(key, left);
                return;
            }

            LogDeleted(_log, name, path, node);
        }

        // A node that is gone took the directory with it.
        if (ours)
        {
            volume = await DropFinalizerAsync(volume, cancellationToken);
        }

        if (!deleting)
        {
            try
            {
                await _client.CoreV1.DeletePersistentVolumeAsync(name, new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = volume.Metadata.Uid } }, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
            }
        }

        await DeleteHelperAsync(helperName, cancellationToken);
    }

    private async Task<V1PersistentVolume> DropFinalizerAsync(V1PersistentVolume volume, CancellationToken cancellationToken)
    {
        var changed = DeepCopy.Of(volume);
        changed.Metadata.Finalizers = [.. changed.Metadata.Finalizers.Where(f => f != Finalizer)];
        return await _client.CoreV1.ReplacePersistentVolumeAsync(changed, volume.Metadata.Name, cancellationToken: cancellationToken);
    }

    /// <summary>The node the volume's affinity pins it to.</summary>
    private static string? NodeOf(V1PersistentVolume volume) =>
        volume.Spec.NodeAffinity?.Required?.NodeSelectorTerms?
            .SelectMany(t => t.MatchExpressions ?? [])
            .FirstOrDefault(e => e.Key == "kubernetes.io/hostname" && e.OperatorProperty == "In")?.Values?.FirstOrDefault();
}
