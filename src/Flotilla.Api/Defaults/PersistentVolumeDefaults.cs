using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetObjectDefaults_PersistentVolume: phase Pending, reclaim Retain, volume mode Filesystem.</summary>
public static class PersistentVolumeDefaults
{
    public const string Retain = "Retain";

    public static void Apply(V1PersistentVolume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var status = volume.Status ??= new V1PersistentVolumeStatus();
        if (string.IsNullOrEmpty(status.Phase))
        {
            status.Phase = PersistentVolumeClaimDefaults.Pending;
        }

        var spec = volume.Spec ??= new V1PersistentVolumeSpec();
        if (string.IsNullOrEmpty(spec.PersistentVolumeReclaimPolicy))
        {
            spec.PersistentVolumeReclaimPolicy = Retain;
        }

        spec.VolumeMode ??= PersistentVolumeClaimDefaults.Filesystem;
        ResourceListDefaults.RoundUpToMilli(spec.Capacity);
        VolumeDefaults.Apply(spec);
    }
}
