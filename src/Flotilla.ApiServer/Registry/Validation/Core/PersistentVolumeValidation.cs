using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidatePersistentVolumeSpec (the common sources in detail) and ValidatePersistentVolumeUpdate.</summary>
public static class PersistentVolumeValidation
{
    private static readonly string[] ReclaimPolicies = ["Delete", "Recycle", "Retain"];

    public static List<FieldError> Validate(V1PersistentVolume volume)
    {
        var spec = volume.Spec ?? new V1PersistentVolumeSpec();
        var path = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        if (spec.AccessModes is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path.Child("accessModes")));
        }

        errors.AddRange(PersistentVolumeClaimValidation.ValidateAccessModes(spec.AccessModes, path.Child("accessModes")));
        var capacity = spec.Capacity ?? new Dictionary<string, ResourceQuantity>();
        if (capacity.Count == 0)
        {
            errors.Add(FieldError.Required(path.Child("capacity")));
        }

        if (!capacity.ContainsKey("storage") || capacity.Count > 1)
        {
            var printed = new GoValue("core.ResourceList{" + string.Join(", ", capacity.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{GoQuote.Quote(p.Key)}:{Quantities.Canonical(p.Value)}")) + "}");
            errors.Add(FieldError.NotSupported(path.Child("capacity"), printed, ["storage"]));
        }

        foreach (var (name, quantity) in capacity.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (Quantities.Value(quantity) <= 0)
            {
                errors.Add(FieldError.Invalid(path.Child("capacity").Key(name), Quantities.Canonical(quantity), ValidationText.NotPositive));
            }
        }

        if (!string.IsNullOrEmpty(spec.PersistentVolumeReclaimPolicy) && !ReclaimPolicies.Contains(spec.PersistentVolumeReclaimPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("persistentVolumeReclaimPolicy"), spec.PersistentVolumeReclaimPolicy, ReclaimPolicies));
        }

        if (spec.NodeAffinity is { } affinity)
        {
            errors.AddRange(affinity.Required is null
                ? [FieldError.Required(path.Child("nodeAffinity", "required"), "must specify required node constraints")]
                : AffinityValidation.NodeSelector(affinity.Required, path.Child("nodeAffinity", "required"), allowInvalidLabelValue: false));
        }

        errors.AddRange(Sources(spec, path));
        if (!string.IsNullOrEmpty(spec.StorageClassName))
        {
            errors.AddRange(FieldChecks.Name(spec.StorageClassName, NameValidation.NameIsDnsSubdomain, path.Child("storageClassName")));
        }

        if (spec.VolumeMode is { } mode && !PersistentVolumeClaimValidation.VolumeModes.Contains(mode))
        {
            errors.Add(FieldError.NotSupported(path.Child("volumeMode"), mode, PersistentVolumeClaimValidation.VolumeModes));
        }

        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1PersistentVolume volume, V1PersistentVolume old)
    {
        var errors = Validate(volume);
        if (!ModelJson.SemanticEqual(Source(volume.Spec), Source(old.Spec)))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("persistentvolumesource"), "spec.persistentvolumesource is immutable after creation\n"));
        }

        errors.AddRange(FieldChecks.Immutable(volume.Spec?.VolumeMode, old.Spec?.VolumeMode, FieldPath.Root("volumeMode")));
        if (old.Spec?.NodeAffinity is not null && !ModelJson.SemanticEqual(volume.Spec?.NodeAffinity, old.Spec.NodeAffinity))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("nodeAffinity"), new GoValue("core.VolumeNodeAffinity{...}"), ValidationText.FieldImmutable + ", except for updating from beta label to GA"));
        }

        return errors;
    }

    // The persistent volume source: every source field of the spec.
    private static object?[] Source(V1PersistentVolumeSpec? s) =>
    [
        s?.AwsElasticBlockStore, s?.AzureDisk, s?.AzureFile, s?.Cephfs, s?.Cinder, s?.Csi, s?.Fc, s?.FlexVolume, s?.Flocker,
        s?.GcePersistentDisk, s?.Glusterfs, s?.HostPath, s?.Iscsi, s?.Local, s?.Nfs, s?.PhotonPersistentDisk, s?.PortworxVolume,
        s?.Quobyte, s?.Rbd, s?.ScaleIO, s?.Storageos, s?.VsphereVolume,
    ];

    private static List<FieldError> Sources(V1PersistentVolumeSpec spec, FieldPath path)
    {
        var errors = new List<FieldError>();
        (object? Source, string Name, Func<IEnumerable<FieldError>> Validate)[] sources =
        [
            (spec.HostPath, "hostPath", () => string.IsNullOrEmpty(spec.HostPath.Path) ? [FieldError.Required(path.Child("hostPath", "path"))] : VolumeValidation.NoBacksteps(spec.HostPath.Path, path.Child("hostPath", "path"))),
            (spec.GcePersistentDisk, "gcePersistentDisk", () => Required(spec.GcePersistentDisk.PdName, path.Child("persistentDisk", "pdName"))),
            (spec.AwsElasticBlockStore, "awsElasticBlockStore", () => Required(spec.AwsElasticBlockStore.VolumeID, path.Child("awsElasticBlockStore", "volumeID"))),
            (spec.Glusterfs, "glusterfs", () => Required(spec.Glusterfs.Endpoints, path.Child("glusterfs", "endpoints"))),
            (spec.Flocker, "flocker", () => []),
            (spec.Nfs, "nfs", () => Required(spec.Nfs.Server, path.Child("nfs", "server")).Concat(Required(spec.Nfs.Path, path.Child("nfs", "path")))),
            (spec.Rbd, "rbd", () => Required(spec.Rbd.Image, path.Child("rbd", "image"))),
            (spec.Quobyte, "quobyte", () => Required(spec.Quobyte.Volume, path.Child("quobyte", "volume"))),
            (spec.Cephfs, "cephFS", () => spec.Cephfs.Monitors is { Count: > 0 } ? [] : [FieldError.Required(path.Child("cephfs", "monitors"))]),
            (spec.Iscsi, "iscsi", () => Required(spec.Iscsi.TargetPortal, path.Child("iscsi", "targetPortal"))),
            (spec.Cinder, "cinder", () => Required(spec.Cinder.VolumeID, path.Child("cinder", "volumeID"))),
            (spec.Fc, "fc", () => []),
            (spec.FlexVolume, "flexVolume", () => Required(spec.FlexVolume.Driver, path.Child("flexVolume", "driver"))),
            (spec.AzureFile, "azureFile", () => Required(spec.AzureFile.SecretName, path.Child("azureFile", "secretName"))),
            (spec.VsphereVolume, "vsphereVolume", () => Required(spec.VsphereVolume.VolumePath, path.Child("vsphereVolume", "volumePath"))),
            (spec.PhotonPersistentDisk, "photonPersistentDisk", () => Required(spec.PhotonPersistentDisk.PdID, path.Child("photonPersistentDisk", "pdID"))),
            (spec.PortworxVolume, "portworxVolume", () => Required(spec.PortworxVolume.VolumeID, path.Child("portworxVolume", "volumeID"))),
            (spec.AzureDisk, "azureDisk", () => Required(spec.AzureDisk.DiskName, path.Child("azureDisk", "diskName"))),
            (spec.ScaleIO, "scaleIO", () => Required(spec.ScaleIO.Gateway, path.Child("scaleIO", "gateway"))),
            (spec.Local, "local", () => string.IsNullOrEmpty(spec.Local.Path) ? [FieldError.Required(path.Child("local", "path"))] : VolumeValidation.NoBacksteps(spec.Local.Path, path.Child("local", "path"))),
            (spec.Storageos, "storageos", () => Required(spec.Storageos.VolumeName, path.Child("storageos", "volumeName"))),
            (spec.Csi, "csi", () => Required(spec.Csi.Driver, path.Child("csi", "driver")).Concat(Required(spec.Csi.VolumeHandle, path.Child("csi", "volumeHandle")))),
        ];
        var count = 0;
        foreach (var (_, name, validate) in sources.Where(s => s.Source is not null))
        {
            if (count++ > 0)
            {
                errors.Add(FieldError.Forbidden(path.Child(name), "may not specify more than 1 volume type"));
                continue;
            }

            errors.AddRange(validate());
        }

        if (count == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a volume type"));
        }

        // A local volume only makes sense on the nodes its affinity names.
        if (spec.Local is not null && spec.NodeAffinity is null)
        {
            errors.Add(FieldError.Required(path.Child("nodeAffinity"), "Local volume requires node affinity"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> Required(string? value, FieldPath path) =>
        string.IsNullOrEmpty(value) ? [FieldError.Required(path)] : [];
}
