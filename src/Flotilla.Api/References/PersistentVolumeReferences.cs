using k8s.Models;

namespace Flotilla.Api.References;

/// <summary>
/// The Secrets a PersistentVolume's source names (upstream's pkg/api/v1/persistentvolume VisitPVSecretNames), with
/// their namespace — the secret's own, or else the bound claim's — and whether the kubelet reads it (a CSI
/// controller's secrets are the attacher's and resizer's, not the node's). Empty names are skipped.
/// </summary>
public static class PersistentVolumeReferences
{
    public static IEnumerable<(string Namespace, string Name, bool KubeletVisible)> SecretNames(V1PersistentVolume pv)
    {
        ArgumentNullException.ThrowIfNull(pv);
        var spec = pv.Spec;
        if (spec is null)
        {
            return [];
        }

        var claimNamespace = spec.ClaimRef?.NamespaceProperty ?? string.Empty;
        string Or(string? ns) => string.IsNullOrEmpty(ns) ? claimNamespace : ns;
        IEnumerable<(string, string?, bool)> refs =
            spec.AzureFile is { } azure ? [(Or(azure.SecretNamespace), azure.SecretName, true)]
            : spec.Cephfs is { SecretRef: { } ceph } ? [(Or(ceph.NamespaceProperty), ceph.Name, true)]
            : spec.Cinder is { SecretRef: { } cinder } ? [(cinder.NamespaceProperty ?? string.Empty, cinder.Name, true)]
            : spec.FlexVolume is { SecretRef: { } flex } ? [(Or(flex.NamespaceProperty), flex.Name, true)]
            : spec.Rbd is { SecretRef: { } rbd } ? [(Or(rbd.NamespaceProperty), rbd.Name, true)]
            : spec.ScaleIO is { SecretRef: { } scaleIo } ? [(Or(scaleIo.NamespaceProperty), scaleIo.Name, true)]
            : spec.Iscsi is { SecretRef: { } iscsi } ? [(Or(iscsi.NamespaceProperty), iscsi.Name, true)]
            : spec.Storageos is { SecretRef: { } storageOs } ? [(storageOs.NamespaceProperty ?? string.Empty, storageOs.Name, true)]
            : spec.Csi is { } csi ? Csi(csi)
            : [];
        return refs.Where(r => !string.IsNullOrEmpty(r.Item2)).Select(r => (r.Item1, r.Item2!, r.Item3));
    }

    private static IEnumerable<(string, string?, bool)> Csi(V1CSIPersistentVolumeSource csi) =>
        new (V1SecretReference? Ref, bool KubeletVisible)[]
        {
            (csi.ControllerPublishSecretRef, false),
            (csi.ControllerExpandSecretRef, false),
            (csi.NodePublishSecretRef, true),
            (csi.NodeStageSecretRef, true),
            (csi.NodeExpandSecretRef, true),
        }.Where(r => r.Ref is not null).Select(r => (r.Ref!.NamespaceProperty ?? string.Empty, (string?)r.Ref.Name, r.KubeletVisible));
}
