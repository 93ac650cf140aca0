using System.Reflection;
using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's SetDefaults_Volume and the volume-source defaults (SetDefaults_*VolumeSource and the sources' declared
/// +default values), shared by pod volumes and persistent volumes.
/// </summary>
public static class VolumeDefaults
{
    /// <summary>0644, the mode of files projected from secrets, config maps, the downward API and projections.</summary>
    public const int DefaultFileMode = 420;

    /// <summary>A bound service account token lives an hour unless the pod asks otherwise.</summary>
    public const long TokenExpirationSeconds = 3600;

    // Every source of V1Volume: upstream checks "all pointer fields nil" over VolumeSource, which is all but the name.
    private static readonly PropertyInfo[] Sources =
        [.. typeof(V1Volume).GetProperties().Where(p => p.Name != nameof(V1Volume.Name))];

    public static void Apply(V1Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        if (Sources.All(p => p.GetValue(volume) is null))
        {
            volume.EmptyDir = new V1EmptyDirVolumeSource();
        }

        Apply(volume.HostPath);
        if (volume.Secret is { DefaultMode: null } secret)
        {
            secret.DefaultMode = DefaultFileMode;
        }

        if (volume.ConfigMap is { DefaultMode: null } configMap)
        {
            configMap.DefaultMode = DefaultFileMode;
        }

        if (volume.DownwardAPI is { } downwardApi)
        {
            downwardApi.DefaultMode ??= DefaultFileMode;
            Apply(downwardApi.Items);
        }

        if (volume.Projected is { } projected)
        {
            projected.DefaultMode ??= DefaultFileMode;
            foreach (var source in projected.Sources ?? [])
            {
                Apply(source.DownwardAPI?.Items);
                if (source.ServiceAccountToken is { } token)
                {
                    token.ExpirationSeconds ??= TokenExpirationSeconds;
                }
            }
        }

        if (volume.Iscsi is { } iscsi)
        {
            iscsi.IscsiInterface = Or(iscsi.IscsiInterface, "default");
        }

        if (volume.Rbd is { } rbd)
        {
            (rbd.Pool, rbd.User, rbd.Keyring) = RbdDefaults(rbd.Pool, rbd.User, rbd.Keyring);
        }

        Apply(volume.AzureDisk);
        if (volume.ScaleIO is { } scaleIo)
        {
            (scaleIo.StorageMode, scaleIo.FsType) = ScaleIoDefaults(scaleIo.StorageMode, scaleIo.FsType);
        }

        if (volume.Ephemeral?.VolumeClaimTemplate?.Spec is { } claimSpec)
        {
            PersistentVolumeClaimDefaults.ApplyToSpec(claimSpec);
        }
    }

    /// <summary>The sources a persistent volume shares with pod volumes, in their persistent-volume shapes.</summary>
    public static void Apply(V1PersistentVolumeSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Apply(spec.HostPath);
        if (spec.Iscsi is { } iscsi)
        {
            iscsi.IscsiInterface = Or(iscsi.IscsiInterface, "default");
        }

        if (spec.Rbd is { } rbd)
        {
            (rbd.Pool, rbd.User, rbd.Keyring) = RbdDefaults(rbd.Pool, rbd.User, rbd.Keyring);
        }

        Apply(spec.AzureDisk);
        if (spec.ScaleIO is { } scaleIo)
        {
            (scaleIo.StorageMode, scaleIo.FsType) = ScaleIoDefaults(scaleIo.StorageMode, scaleIo.FsType);
        }
    }

    // HostPathUnset: "" means no check is made before mounting, and upstream writes it out explicitly.
    private static void Apply(V1HostPathVolumeSource? hostPath)
    {
        if (hostPath is { Type: null })
        {
            hostPath.Type = "";
        }
    }

    private static void Apply(V1AzureDiskVolumeSource? disk)
    {
        if (disk is null)
        {
            return;
        }

        disk.CachingMode ??= "ReadWrite";
        disk.Kind ??= "Shared";
        disk.FsType ??= "ext4";
        disk.ReadOnlyProperty ??= false;
    }

    private static void Apply(IList<V1DownwardAPIVolumeFile>? items)
    {
        foreach (var item in items ?? [])
        {
            ContainerDefaults.Apply(item.FieldRef);
        }
    }

    private static (string Pool, string User, string Keyring) RbdDefaults(string? pool, string? user, string? keyring) =>
        (Or(pool, "rbd"), Or(user, "admin"), Or(keyring, "/etc/ceph/keyring"));

    private static (string StorageMode, string FsType) ScaleIoDefaults(string? storageMode, string? fsType) =>
        (Or(storageMode, "ThinProvisioned"), Or(fsType, "xfs"));

    private static string Or(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}
