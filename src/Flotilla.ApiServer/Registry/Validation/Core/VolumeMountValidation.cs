using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateVolumeMounts and ValidateVolumeDevices for one container.</summary>
public static class VolumeMountValidation
{
    private static readonly string[] Propagations = ["Bidirectional", "HostToContainer", "None"];

    public static IEnumerable<FieldError> Mounts(V1Container container, IReadOnlyDictionary<string, V1Volume> volumes, FieldPath path)
    {
        var mounts = container.VolumeMounts ?? [];
        var devices = container.VolumeDevices ?? [];
        var mountPoints = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        for (var i = 0; i < mounts.Count; i++)
        {
            var mount = mounts[i];
            var name = mount.Name ?? string.Empty;
            var mountPath = mount.MountPath ?? string.Empty;
            var itemPath = path.Index(i);
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required(itemPath.Child("name")));
            }

            if (!volumes.ContainsKey(name))
            {
                errors.Add(FieldChecks.NotFound(itemPath.Child("name"), name));
            }

            if (mountPath.Length == 0)
            {
                errors.Add(FieldError.Required(itemPath.Child("mountPath")));
            }

            if (!mountPoints.Add(mountPath))
            {
                errors.Add(FieldError.Invalid(itemPath.Child("mountPath"), mountPath, "must be unique"));
            }

            if (devices.Any(d => d.Name == name))
            {
                errors.Add(FieldError.Invalid(itemPath.Child("name"), name, "must not already exist in volumeDevices"));
            }

            if (devices.Any(d => d.DevicePath == mountPath))
            {
                errors.Add(FieldError.Invalid(itemPath.Child("mountPath"), mountPath, "must not already exist as a path in volumeDevices"));
            }

            if (volumes.TryGetValue(name, out var volume) && volume.Image is not null)
            {
                if (!string.IsNullOrEmpty(mount.SubPath))
                {
                    errors.Add(FieldError.Invalid(itemPath.Child("subPath"), mount.SubPath, "not allowed in image volume sources"));
                }

                if (!string.IsNullOrEmpty(mount.SubPathExpr))
                {
                    errors.Add(FieldError.Invalid(itemPath.Child("subPathExpr"), mount.SubPathExpr, "not allowed in image volume sources"));
                }
            }

            // As upstream, the subPath, propagation and recursiveReadOnly errors name the list, not the item.
            if (!string.IsNullOrEmpty(mount.SubPath))
            {
                errors.AddRange(VolumeValidation.LocalDescending(mount.SubPath, path.Child("subPath")));
            }

            if (!string.IsNullOrEmpty(mount.SubPathExpr))
            {
                if (!string.IsNullOrEmpty(mount.SubPath))
                {
                    errors.Add(FieldError.Invalid(itemPath.Child("subPathExpr"), mount.SubPathExpr, "subPathExpr and subPath are mutually exclusive"));
                }

                errors.AddRange(VolumeValidation.LocalDescending(mount.SubPathExpr, path.Child("subPathExpr")));
            }

            if (mount.MountPropagation is { } propagation)
            {
                errors.AddRange(Propagation(propagation, container, path.Child("mountPropagation")));
            }

            errors.AddRange(RecursiveReadOnly(mount, path.Child("recursiveReadOnly")));
        }

        return errors;
    }

    public static IEnumerable<FieldError> Devices(V1Container container, IReadOnlyDictionary<string, V1Volume> volumes, FieldPath path)
    {
        var devices = container.VolumeDevices ?? [];
        var mounts = container.VolumeMounts ?? [];
        var devicePaths = new HashSet<string>(StringComparer.Ordinal);
        var deviceNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < devices.Count; i++)
        {
            var name = devices[i].Name ?? string.Empty;
            var devicePath = devices[i].DevicePath ?? string.Empty;
            var itemPath = path.Index(i);
            var matched = volumes.TryGetValue(name, out var volume);
            if (name.Length == 0)
            {
                yield return FieldError.Required(itemPath.Child("name"));
            }

            if (deviceNames.Contains(name))
            {
                yield return FieldError.Invalid(itemPath.Child("name"), name, "must be unique");
            }

            if (matched && volume!.PersistentVolumeClaim is null && volume.Ephemeral is null)
            {
                yield return FieldError.Invalid(itemPath.Child("name"), name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode");
            }

            if (!matched)
            {
                yield return FieldChecks.NotFound(itemPath.Child("name"), name);
            }

            if (devicePath.Length == 0)
            {
                yield return FieldError.Required(itemPath.Child("devicePath"));
            }

            if (devicePaths.Contains(devicePath))
            {
                yield return FieldError.Invalid(itemPath.Child("devicePath"), devicePath, "must be unique");
            }

            if (devicePath.Length > 0 && VolumeValidation.NoBacksteps(devicePath, itemPath).Any())
            {
                yield return FieldError.Invalid(itemPath.Child("devicePath"), devicePath, "can not contain backsteps ('..')");
            }
            else
            {
                devicePaths.Add(devicePath);
            }

            if (mounts.Any(m => m.Name == name))
            {
                yield return FieldError.Invalid(itemPath.Child("name"), name, "must not already exist in volumeMounts");
            }

            if (mounts.Any(m => m.MountPath == devicePath))
            {
                yield return FieldError.Invalid(itemPath.Child("devicePath"), devicePath, "must not already exist as a path in volumeMounts");
            }

            if (name.Length > 0)
            {
                deviceNames.Add(name);
            }
        }
    }

    private static IEnumerable<FieldError> Propagation(string propagation, V1Container container, FieldPath path)
    {
        if (!Propagations.Contains(propagation))
        {
            yield return FieldError.NotSupported(path, propagation, Propagations);
        }

        if (propagation == "Bidirectional" && container.SecurityContext?.Privileged != true)
        {
            yield return FieldError.Forbidden(path, "Bidirectional mount propagation is available only to privileged containers");
        }
    }

    private static IEnumerable<FieldError> RecursiveReadOnly(V1VolumeMount mount, FieldPath path)
    {
        switch (mount.RecursiveReadOnly)
        {
            case null or "Disabled":
                break;
            case "Enabled" or "IfPossible":
                if (mount.ReadOnlyProperty != true)
                {
                    yield return FieldError.Forbidden(path, "may only be specified when readOnly is true");
                }

                if (mount.MountPropagation is not (null or "None"))
                {
                    yield return FieldError.Forbidden(path, "may only be specified when mountPropagation is None or not specified");
                }

                break;
            default:
                yield return FieldError.NotSupported(path, mount.RecursiveReadOnly, ["Disabled", "Enabled", "IfPossible"]);
                break;
        }
    }
}
