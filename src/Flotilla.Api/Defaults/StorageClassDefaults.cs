using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's storage/v1 SetDefaults_StorageClass: provisioned volumes are deleted with their claim and bound at once.</summary>
public static class StorageClassDefaults
{
    public const string Delete = "Delete";
    public const string Immediate = "Immediate";

    public static void Apply(V1StorageClass storageClass)
    {
        ArgumentNullException.ThrowIfNull(storageClass);
        storageClass.ReclaimPolicy ??= Delete;
        storageClass.VolumeBindingMode ??= Immediate;
    }
}
