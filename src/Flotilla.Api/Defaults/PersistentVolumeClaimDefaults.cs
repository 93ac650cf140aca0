using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's SetDefaults_PersistentVolumeClaim and SetDefaults_PersistentVolumeClaimSpec; the spec part also
/// applies to StatefulSet claim templates and ephemeral volume claim templates.
/// </summary>
public static class PersistentVolumeClaimDefaults
{
    public const string Pending = "Pending";
    public const string Filesystem = "Filesystem";

    public static void Apply(V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ApplyToSpec(claim.Spec ??= new V1PersistentVolumeClaimSpec());
        var status = claim.Status ??= new V1PersistentVolumeClaimStatus();
        if (string.IsNullOrEmpty(status.Phase))
        {
            status.Phase = Pending;
        }

        ResourceListDefaults.RoundUpToMilli(status.Capacity);
        ResourceListDefaults.RoundUpToMilli(status.AllocatedResources);
    }

    public static void ApplyToSpec(V1PersistentVolumeClaimSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.VolumeMode ??= Filesystem;
        ResourceListDefaults.RoundUpToMilli(spec.Resources);
    }
}
