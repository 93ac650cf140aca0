using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>
/// Upstream validateVolumeSource: exactly one source, each with its own required fields. The common sources are checked
/// in full; the legacy in-tree cloud sources for their required fields.
/// </summary>
public static class VolumeSourceValidation
{
    private const string FileModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";

    private static readonly HashSet<string> HostPathTypes = ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"];

    private static readonly string[] VolumeFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

    public static List<FieldError> Validate(V1Volume volume, FieldPath path, string? podName)
    {
        var errors = new List<FieldError>();
        var count = 0;
        void One(object? source, string name, Func<IEnumerable<FieldError>> validate)
        {
            if (source is null)
            {
                return;
            }

            if (count > 0)
            {
                errors.Add(FieldError.Forbidden(path.Child(name), "may not specify more than 1 volume type"));
                return;
            }

            count++;
            errors.AddRange(validate());
        }

        // Upstream's order and spellings (its "downwarAPI" and "persistentDisk" included).
        One(volume.EmptyDir, "emptyDir", () => EmptyDir(volume.EmptyDir, path.Child("emptyDir")));
        One(volume.HostPath, "hostPath", () => HostPath(volume.HostPath, path.Child("hostPath")));
        One(volume.GitRepo, "gitRepo", () => GitRepo(volume.GitRepo, path.Child("gitRepo")));
        One(volume.GcePersistentDisk, "gcePersistentDisk", () => Required(volume.GcePersistentDisk.PdName, path.Child("persistentDisk", "pdName")));
        One(volume.AwsElasticBlockStore, "awsElasticBlockStore", () => Required(volume.AwsElasticBlockStore.VolumeID, path.Child("awsElasticBlockStore", "volumeID")));
        One(volume.Secret, "secret", () => Secret(volume.Secret, path.Child("secret")));
        One(volume.Nfs, "nfs", () => Nfs(volume.Nfs, path.Child("nfs")));
        One(volume.Iscsi, "iscsi", () => Required(volume.Iscsi.TargetPortal, path.Child("iscsi", "targetPortal")).Concat(Required(volume.Iscsi.Iqn, path.Child("iscsi", "iqn"))));
        One(volume.Glusterfs, "glusterfs", () => Required(volume.Glusterfs.Endpoints, path.Child("glusterfs", "endpoints")).Concat(Required(volume.Glusterfs.Path, path.Child("glusterfs", "path"))));
        One(volume.Flocker, "flocker", () => Flocker(volume.Flocker, path.Child("flocker")));
        One(volume.PersistentVolumeClaim, "persistentVolumeClaim", () => Required(volume.PersistentVolumeClaim.ClaimName, path.Child("persistentVolumeClaim", "claimName")));
        One(volume.Rbd, "rbd", () => RequiredList(volume.Rbd.Monitors, path.Child("rbd", "monitors")).Concat(Required(volume.Rbd.Image, path.Child("rbd", "image"))));
        One(volume.Cinder, "cinder", () => Required(volume.Cinder.VolumeID, path.Child("cinder", "volumeID")));
        One(volume.Cephfs, "cephFS", () => RequiredList(volume.Cephfs.Monitors, path.Child("cephfs", "monitors")));
        One(volume.Quobyte, "quobyte", () => Required(volume.Quobyte.Registry, path.Child("quobyte", "registry"), "must be a host:port pair or multiple pairs separated by commas").Concat(Required(volume.Quobyte.Volume, path.Child("quobyte", "volume"))));
        One(volume.DownwardAPI, "downwarAPI", () => DownwardApi(volume.DownwardAPI, path.Child("downwardAPI")));
        One(volume.Fc, "fc", () => Fc(volume.Fc, path.Child("fc")));
        One(volume.FlexVolume, "flexVolume", () => Required(volume.FlexVolume.Driver, path.Child("flexVolume", "driver")));
        One(volume.ConfigMap, "configMap", () => ConfigMap(volume.ConfigMap, path.Child("configMap")));
        One(volume.AzureFile, "azureFile", () => Required(volume.AzureFile.SecretName, path.Child("azureFile", "secretName")).Concat(Required(volume.AzureFile.ShareName, path.Child("azureFile", "shareName"))));
        One(volume.VsphereVolume, "vsphereVolume", () => Required(volume.VsphereVolume.VolumePath, path.Child("vsphereVolume", "volumePath")));
        One(volume.PhotonPersistentDisk, "photonPersistentDisk", () => Required(volume.PhotonPersistentDisk.PdID, path.Child("photonPersistentDisk", "pdID")));
        One(volume.PortworxVolume, "portworxVolume", () => Required(volume.PortworxVolume.VolumeID, path.Child("portworxVolume", "volumeID")));
        One(volume.AzureDisk, "azureDisk", () => Required(volume.AzureDisk.DiskName, path.Child("azureDisk", "diskName")).Concat(Required(volume.AzureDisk.DiskURI, path.Child("azureDisk", "diskURI"))));
        One(volume.Storageos, "storageos", () => StorageOs(volume.Storageos, path.Child("storageos")));
        One(volume.Projected, "projected", () => Projected(volume.Projected, path.Child("projected")));
        One(volume.ScaleIO, "scaleIO", () => Required(volume.ScaleIO.Gateway, path.Child("scaleIO", "gateway")).Concat(Required(volume.ScaleIO.System, path.Child("scaleIO", "system"))).Concat(Required(volume.ScaleIO.VolumeName, path.Child("scaleIO", "volumeName"))));
        One(volume.Csi, "csi", () => Csi(volume.Csi, path.Child("csi")));
        One(volume.Ephemeral, "ephemeral", () => Ephemeral(volume, path, podName));
        One(volume.Image, "image", () => PullPolicy(volume.Image.PullPolicy, path.Child("image", "pullPolicy")));
        if (count == 0)
        {
            errors.Add(FieldError.Required(path, "must specify a volume type"));
        }

        return errors;
    }

    public static IEnumerable<FieldError> PullPolicy(string? policy, FieldPath path) =>
        string.IsNullOrEmpty(policy) || policy is "Always" or "IfNotPresent" or "Never"
            ? []
            : [FieldError.NotSupported(path, policy, ["Always", "IfNotPresent", "Never"])];

    private static IEnumerable<FieldError> Required(string? value, FieldPath path, string detail = "") =>
        string.IsNullOrEmpty(value) ? [FieldError.Required(path, detail)] : [];

    private static IEnumerable<FieldError> RequiredList<T>(IList<T>? values, FieldPath path) =>
        values is { Count: > 0 } ? [] : [FieldError.Required(path)];

    private static IEnumerable<FieldError> Mode(int? mode, FieldPath path) =>
        mode is > 511 or < 0 ? [FieldError.Invalid(path, mode.Value, FileModeMessage)] : [];

    private static IEnumerable<FieldError> EmptyDir(V1EmptyDirVolumeSource source, FieldPath path) =>
        Quantities.IsNegative(source.SizeLimit) ? [FieldError.Forbidden(path.Child("sizeLimit"), "SizeLimit field must be a valid resource quantity")] : [];

    private static IEnumerable<FieldError> HostPath(V1HostPathVolumeSource source, FieldPath path)
    {
        if (string.IsNullOrEmpty(source.Path))
        {
            return [FieldError.Required(path.Child("path"))];
        }

        var errors = VolumeValidation.NoBacksteps(source.Path, path.Child("path")).ToList();
        if (source.Type is not null && !HostPathTypes.Contains(source.Type))
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), source.Type, HostPathTypes.Order(StringComparer.Ordinal)));
        }

        return errors;
    }

    private static IEnumerable<FieldError> GitRepo(V1GitRepoVolumeSource source, FieldPath path) =>
        Required(source.Repository, path.Child("repository")).Concat(VolumeValidation.LocalDescending(source.Directory ?? string.Empty, path.Child("directory")));

    private static IEnumerable<FieldError> Secret(V1SecretVolumeSource source, FieldPath path) =>
        Required(source.SecretName, path.Child("secretName"))
            .Concat(Mode(source.DefaultMode, path.Child("defaultMode")))
            .Concat(KeysToPaths(source.Items, path.Child("items")));

    private static IEnumerable<FieldError> ConfigMap(V1ConfigMapVolumeSource source, FieldPath path) =>
        Required(source.Name, path.Child("name"))
            .Concat(Mode(source.DefaultMode, path.Child("defaultMode")))
            .Concat(KeysToPaths(source.Items, path.Child("items")));

    private static IEnumerable<FieldError> KeysToPaths(IList<V1KeyToPath>? items, FieldPath path)
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            foreach (var e in KeyToPath(items![i], path.Index(i)))
            {
                yield return e;
            }
        }
    }

    private static IEnumerable<FieldError> KeyToPath(V1KeyToPath item, FieldPath path) =>
        Required(item.Key, path.Child("key"))
            .Concat(Required(item.Path, path.Child("path")))
            .Concat(VolumeValidation.LocalNonReserved(item.Path ?? string.Empty, path.Child("path")))
            .Concat(Mode(item.Mode, path.Child("mode")));

    private static IEnumerable<FieldError> Nfs(V1NFSVolumeSource source, FieldPath path)
    {
        var errors = Required(source.Server, path.Child("server")).Concat(Required(source.Path, path.Child("path"))).ToList();
        if (!(source.Path ?? string.Empty).StartsWith('/'))
        {
            errors.Add(FieldError.Invalid(path.Child("path"), source.Path ?? string.Empty, "must be an absolute path"));
        }

        return errors;
    }

    private static IEnumerable<FieldError> Flocker(V1FlockerVolumeSource source, FieldPath path)
    {
        if (string.IsNullOrEmpty(source.DatasetName) && string.IsNullOrEmpty(source.DatasetUUID))
        {
            yield return FieldError.Required(path, "one of datasetName and datasetUUID is required");
        }

        if (!string.IsNullOrEmpty(source.DatasetName) && !string.IsNullOrEmpty(source.DatasetUUID))
        {
            yield return FieldError.Invalid(path, "resource", "datasetName and datasetUUID can not be specified simultaneously");
        }
    }

    private static IEnumerable<FieldError> Fc(V1FCVolumeSource source, FieldPath path)
    {
        var wwns = source.TargetWWNs ?? [];
        var wwids = source.Wwids ?? [];
        if (wwns.Count == 0 && wwids.Count == 0)
        {
            yield return FieldError.Required(path.Child("targetWWNs"), "must specify either targetWWNs or wwids, but not both");
        }

        if (wwns.Count != 0 && wwids.Count != 0)
        {
            yield return FieldError.Invalid(path.Child("targetWWNs"), GoSyntax.StringSlice(wwns), "targetWWNs and wwids can not be specified simultaneously");
        }

        if (wwns.Count != 0 && source.Lun is null)
        {
            yield return FieldError.Required(path.Child("lun"), "lun is required if targetWWNs is specified");
        }
        else if (wwns.Count != 0 && source.Lun is < 0 or > 255)
        {
            yield return FieldError.Invalid(path.Child("lun"), source.Lun.Value, ValidationText.InclusiveRange(0, 255));
        }
    }

    private static IEnumerable<FieldError> StorageOs(V1StorageOSVolumeSource source, FieldPath path) =>
        string.IsNullOrEmpty(source.VolumeName)
            ? [FieldError.Required(path.Child("volumeName"))]
            : FieldChecks.Dns1123Label(source.VolumeName, path.Child("volumeName"));

    private static IEnumerable<FieldError> Csi(V1CSIVolumeSource source, FieldPath path)
    {
        var driver = source.Driver ?? string.Empty;
        var driverPath = path.Child("driver");
        if (driver.Length == 0)
        {
            yield return FieldError.Required(driverPath);
        }

        if (driver.Length > 63)
        {
            yield return new FieldError(FieldErrorType.TooLong, driverPath, null, "may not be more than 63 bytes");
        }

        foreach (var message in NameValidation.IsDns1123Subdomain(driver.ToLowerInvariant()))
        {
            yield return FieldError.Invalid(driverPath, driver, message);
        }

        if (source.NodePublishSecretRef is { } secretRef && string.IsNullOrEmpty(secretRef.Name))
        {
            yield return FieldError.Required(path.Child("nodePublishSecretRef", "name"));
        }
    }

    private static IEnumerable<FieldError> Ephemeral(V1Volume volume, FieldPath path, string? podName)
    {
        var ephemeralPath = path.Child("ephemeral");
        if (volume.Ephemeral.VolumeClaimTemplate is not { } template)
        {
            yield return FieldError.Required(ephemeralPath.Child("volumeClaimTemplate"));
            yield break;
        }

        var templatePath = ephemeralPath.Child("volumeClaimTemplate");
        foreach (var e in FieldChecks.Annotations(template.Metadata?.Annotations, templatePath.Child("metadata", "annotations"))
                     .Concat(FieldChecks.Labels(template.Metadata?.Labels, templatePath.Child("metadata", "labels")))
                     .Concat(PersistentVolumeClaimValidation.ValidateSpec(template.Spec, templatePath.Child("spec"))))
        {
            yield return e;
        }

        if (!string.IsNullOrEmpty(podName) && !string.IsNullOrEmpty(volume.Name))
        {
            var claimName = podName + "-" + volume.Name;
            foreach (var message in NameValidation.NameIsDnsSubdomain(claimName, false))
            {
                yield return FieldError.Invalid(path.Child("name"), volume.Name, $"PVC name {GoQuote.Quote(claimName)}: {message}");
            }
        }
    }

    private static IEnumerable<FieldError> DownwardApi(V1DownwardAPIVolumeSource source, FieldPath path) =>
        Mode(source.DefaultMode, path.Child("defaultMode")).Concat((source.Items ?? []).SelectMany(file => DownwardApiFile(file, path)));

    private static IEnumerable<FieldError> DownwardApiFile(V1DownwardAPIVolumeFile file, FieldPath path)
    {
        foreach (var e in Required(file.Path, path.Child("path")).Concat(VolumeValidation.LocalNonReserved(file.Path ?? string.Empty, path.Child("path"))))
        {
            yield return e;
        }

        if (file.FieldRef is not null)
        {
            foreach (var e in EnvValidation.ValidateFieldRef(file.FieldRef, VolumeFieldPaths, path.Child("fieldRef")))
            {
                yield return e;
            }

            if (file.ResourceFieldRef is not null)
            {
                yield return FieldError.Invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously");
            }
        }
        else if (file.ResourceFieldRef is not null)
        {
            foreach (var e in EnvValidation.ValidateResourceFieldRef(file.ResourceFieldRef, path.Child("resourceFieldRef"), volume: true))
            {
                yield return e;
            }
        }
        else
        {
            yield return FieldError.Required(path, "one of fieldRef and resourceFieldRef is required");
        }

        foreach (var e in Mode(file.Mode, path.Child("mode")))
        {
            yield return e;
        }
    }

    private static IEnumerable<FieldError> Projected(V1ProjectedVolumeSource source, FieldPath path)
    {
        var errors = Mode(source.DefaultMode, path.Child("defaultMode")).ToList();
        var paths = new HashSet<string>(StringComparer.Ordinal);
        var sources = source.Sources ?? [];
        for (var i = 0; i < sources.Count; i++)
        {
            var projection = sources[i];
            var sourcePath = path.Child("sources").Index(i);
            var count = 0;
            if (projection.Secret is { } secret)
            {
                count++;
                errors.AddRange(Required(secret.Name, sourcePath.Child("secret", "name")));
                errors.AddRange(ProjectedItems(secret.Items, secret.Name, sourcePath.Child("secret", "items"), path, paths));
            }

            if (projection.ConfigMap is { } configMap)
            {
                count++;
                errors.AddRange(Required(configMap.Name, sourcePath.Child("configMap", "name")));
                errors.AddRange(ProjectedItems(configMap.Items, configMap.Name, sourcePath.Child("configMap", "items"), path, paths));
            }

            if (projection.DownwardAPI is { } downward)
            {
                count++;
                foreach (var file in downward.Items ?? [])
                {
                    errors.AddRange(DownwardApiFile(file, sourcePath.Child("downwardAPI")));
                    if (!string.IsNullOrEmpty(file.Path) && !paths.Add(file.Path))
                    {
                        errors.Add(FieldError.Invalid(path, file.Path, "conflicting duplicate paths"));
                    }
                }
            }

            if (projection.ServiceAccountToken is { } token)
            {
                count++;
                var expiration = token.ExpirationSeconds ?? 3600;
                if (expiration < 600)
                {
                    errors.Add(FieldError.Invalid(sourcePath.Child("serviceAccountToken", "expirationSeconds"), expiration, "may not specify a duration less than 10 minutes"));
                }

                if (expiration > 1L << 32)
                {
                    errors.Add(FieldError.Invalid(sourcePath.Child("serviceAccountToken", "expirationSeconds"), expiration, "may not specify a duration larger than 2^32 seconds"));
                }

                errors.AddRange(string.IsNullOrEmpty(token.Path)
                    ? [FieldError.Required(path.Child("path"))]
                    : VolumeValidation.LocalNonReserved(token.Path, path.Child("path")));
            }

            if (projection.ClusterTrustBundle is not null)
            {
                count++;
            }

            if (count > 1)
            {
                errors.Add(FieldError.Forbidden(sourcePath, "may not specify more than 1 volume type per source"));
            }
        }

        return errors;
    }

    private static IEnumerable<FieldError> ProjectedItems(IList<V1KeyToPath>? items, string? sourceName, FieldPath itemsPath, FieldPath projectedPath, HashSet<string> paths)
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            foreach (var e in KeyToPath(items![i], itemsPath.Index(i)))
            {
                yield return e;
            }

            if (!string.IsNullOrEmpty(items[i].Path) && !paths.Add(items[i].Path))
            {
                yield return FieldError.Invalid(projectedPath, sourceName ?? string.Empty, "conflicting duplicate paths");
            }
        }
    }
}
