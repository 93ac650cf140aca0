using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidatePersistentVolumeClaimSpec and ValidatePersistentVolumeClaimUpdate.</summary>
public static class PersistentVolumeClaimValidation
{
    /// <summary>The access modes, sorted as upstream's sets.List prints them.</summary>
    public static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

    public static readonly string[] VolumeModes = ["Block", "Filesystem"];

    public static List<FieldError> Validate(V1PersistentVolumeClaim claim) => ValidateSpec(claim.Spec, FieldPath.Root("spec"));

    public static List<FieldError> ValidateSpec(V1PersistentVolumeClaimSpec? spec, FieldPath path)
    {
        spec ??= new V1PersistentVolumeClaimSpec();
        var errors = new List<FieldError>();
        if (spec.AccessModes is not { Count: > 0 })
        {
            errors.Add(FieldError.Required(path.Child("accessModes"), "at least 1 access mode is required"));
        }

        errors.AddRange(LabelSelectorValidation.Validate(spec.Selector, path.Child("selector")));
        errors.AddRange(ValidateAccessModes(spec.AccessModes, path.Child("accessModes")));
        var storagePath = path.Child("resources").Key("storage");
        if (spec.Resources?.Requests?.TryGetValue("storage", out var storage) != true)
        {
            errors.Add(FieldError.Required(storagePath));
        }
        else if (Quantities.Value(storage) <= 0)
        {
            errors.Add(FieldError.Invalid(storagePath, Quantities.Canonical(storage), ValidationText.NotPositive));
        }

        if (!string.IsNullOrEmpty(spec.StorageClassName))
        {
            errors.AddRange(FieldChecks.Name(spec.StorageClassName, NameValidation.NameIsDnsSubdomain, path.Child("storageClassName")));
        }

        if (spec.VolumeMode is { } mode && !VolumeModes.Contains(mode))
        {
            errors.Add(FieldError.NotSupported(path.Child("volumeMode"), mode, VolumeModes));
        }

        if (spec.DataSource is { } source)
        {
            errors.AddRange(DataSource(source.Name, source.Kind, source.ApiGroup, path.Child("dataSource")));
        }

        if (spec.DataSourceRef is { } sourceRef)
        {
            errors.AddRange(DataSource(sourceRef.Name, sourceRef.Kind, sourceRef.ApiGroup, path.Child("dataSourceRef")));
            if (!string.IsNullOrEmpty(sourceRef.NamespaceProperty))
            {
                errors.AddRange(FieldChecks.Name(sourceRef.NamespaceProperty, NameValidation.NameIsDnsLabel, path.Child("dataSourceRef", "namespace")));
            }
        }

        return errors;
    }

    public static IEnumerable<FieldError> ValidateAccessModes(IList<string>? modes, FieldPath path)
    {
        bool once = false, other = false;
        foreach (var mode in modes ?? [])
        {
            if (!AccessModes.Contains(mode))
            {
                yield return FieldError.NotSupported(path, mode, AccessModes);
            }

            once |= mode == "ReadWriteOncePod";
            other |= mode != "ReadWriteOncePod" && AccessModes.Contains(mode);
        }

        if (once && other)
        {
            yield return FieldError.Forbidden(path, "may not use ReadWriteOncePod with other access modes");
        }
    }

    /// <summary>
    /// A claim's spec is fixed, except that a volume name may be set once, a storage class set when there was none,
    /// and a bound claim's storage request grow.
    /// </summary>
    public static List<FieldError> ValidateUpdate(V1PersistentVolumeClaim claim, V1PersistentVolumeClaim old)
    {
        var errors = Validate(claim);
        var spec = ModelJson.Clone(claim.Spec ?? new V1PersistentVolumeClaimSpec());
        var oldSpec = ModelJson.Clone(old.Spec ?? new V1PersistentVolumeClaimSpec());
        if (string.IsNullOrEmpty(oldSpec.VolumeName))
        {
            oldSpec.VolumeName = spec.VolumeName;
        }

        if (oldSpec.StorageClassName is null && spec.StorageClassName is not null)
        {
            spec.StorageClassName = null;
        }

        var bound = claim.Status?.Phase == "Bound";
        if (bound && spec.Resources?.Requests is { } requests)
        {
            requests.Remove("storage");
            if (Storage(oldSpec.Resources?.Requests) is { } oldStorage)
            {
                requests["storage"] = oldStorage;
            }
        }

        if (bound)
        {
            spec.VolumeAttributesClassName = oldSpec.VolumeAttributesClassName;
        }

        if (!ModelJson.SemanticEqual(spec, oldSpec))
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec"), "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n"));
        }

        var newSize = Storage(claim.Spec?.Resources?.Requests);
        var oldSize = Storage(old.Spec?.Resources?.Requests);
        var capacity = Storage(old.Status?.Capacity);

        // RecoverVolumeExpansionFailure (beta, on): a request may shrink, but not to or below the current capacity.
        if (Quantities.Compare(newSize, oldSize) < 0 && Quantities.Compare(newSize, capacity) <= 0)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("resources", "requests", "storage"), "field can not be less than status.capacity"));
        }

        // Upstream's path for this one starts at the root.
        errors.AddRange(FieldChecks.Immutable(claim.Spec?.VolumeMode, old.Spec?.VolumeMode, FieldPath.Root("volumeMode")));
        return errors;
    }

    private static ResourceQuantity? Storage(IDictionary<string, ResourceQuantity>? resources) =>
        resources is not null && resources.TryGetValue("storage", out var storage) ? storage : null;

    private static IEnumerable<FieldError> DataSource(string? name, string? kind, string? apiGroup, FieldPath path)
    {
        if (string.IsNullOrEmpty(name))
        {
            yield return FieldError.Required(path.Child("name"));
        }

        if (string.IsNullOrEmpty(kind))
        {
            yield return FieldError.Required(path.Child("kind"));
        }

        if (string.IsNullOrEmpty(apiGroup) && kind != "PersistentVolumeClaim")
        {
            yield return FieldError.Invalid(path, kind ?? string.Empty, "must be 'PersistentVolumeClaim' when referencing the default apiGroup");
        }

        if (!string.IsNullOrEmpty(apiGroup))
        {
            foreach (var e in FieldChecks.Dns1123Subdomain(apiGroup, path.Child("apiGroup")))
            {
                yield return e;
            }
        }
    }
}
