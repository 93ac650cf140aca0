using k8s.Models;

namespace Flotilla.ApiServer.Admission.PodSecurity.Checks;

/// <summary>
/// Restricted: inline volumes are limited to configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim,
/// projected and secret; it replaces the baseline hostPath check. (Image volumes are allowed only from upstream v1.33.)
/// </summary>
public static class RestrictedVolumesCheck
{
    public const string Id = "restrictedVolumes";

    public static Check Definition { get; } = new(Id, PodSecurityLevel.Restricted, [new(PolicyVersion.V1(0), V1Dot0, [HostPathVolumesCheck.Id])]);

    public static CheckResult V1Dot0(V1ObjectMeta metadata, V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var bad = new List<string>();
        var types = CheckText.NewSet();
        foreach (var volume in spec.Volumes ?? [])
        {
            if (volume.ConfigMap is not null || volume.Csi is not null || volume.DownwardAPI is not null || volume.EmptyDir is not null ||
                volume.Ephemeral is not null || volume.PersistentVolumeClaim is not null || volume.Projected is not null || volume.Secret is not null)
            {
                continue;
            }

            bad.Add(volume.Name ?? string.Empty);
            types.Add(TypeOf(volume));
        }

        return bad.Count > 0
            ? CheckResult.Forbid(
                "restricted volume types",
                $"{CheckText.Pluralize("volume", "volumes", bad.Count)} {CheckText.JoinQuote(bad)} {CheckText.Pluralize("uses", "use", bad.Count)} " +
                $"{CheckText.Pluralize("restricted volume type", "restricted volume types", types.Count)} {CheckText.JoinQuote(types)}")
            : CheckResult.Allow;
    }

    // Upstream's order of cases: the first source set names the volume's type.
    private static string TypeOf(V1Volume v) =>
        v.HostPath is not null ? "hostPath"
        : v.GcePersistentDisk is not null ? "gcePersistentDisk"
        : v.AwsElasticBlockStore is not null ? "awsElasticBlockStore"
        : v.GitRepo is not null ? "gitRepo"
        : v.Nfs is not null ? "nfs"
        : v.Iscsi is not null ? "iscsi"
        : v.Glusterfs is not null ? "glusterfs"
        : v.Rbd is not null ? "rbd"
        : v.FlexVolume is not null ? "flexVolume"
        : v.Cinder is not null ? "cinder"
        : v.Cephfs is not null ? "cephfs"
        : v.Flocker is not null ? "flocker"
        : v.Fc is not null ? "fc"
        : v.AzureFile is not null ? "azureFile"
        : v.VsphereVolume is not null ? "vsphereVolume"
        : v.Quobyte is not null ? "quobyte"
        : v.AzureDisk is not null ? "azureDisk"
        : v.PhotonPersistentDisk is not null ? "photonPersistentDisk"
        : v.PortworxVolume is not null ? "portworxVolume"
        : v.ScaleIO is not null ? "scaleIO"
        : v.Storageos is not null ? "storageos"
        : "unknown";
}
