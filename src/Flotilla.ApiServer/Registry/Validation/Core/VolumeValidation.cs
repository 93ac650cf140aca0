using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateVolumes: unique DNS-label names and exactly one valid source per volume.</summary>
public static class VolumeValidation
{
    /// <summary>The valid volumes by name (an invalid volume is left out, so mounts of it are reported as not found).</summary>
    public static (Dictionary<string, V1Volume> Volumes, List<FieldError> Errors) Validate(IList<V1Volume>? volumes, FieldPath path, string? podName = null)
    {
        var errors = new List<FieldError>();
        var valid = new Dictionary<string, V1Volume>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var createdClaims = new HashSet<string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(podName))
        {
            foreach (var volume in volumes ?? [])
            {
                if (volume.Ephemeral is not null)
                {
                    createdClaims.Add(podName + "-" + volume.Name);
                }
            }
        }

        for (var i = 0; i < (volumes?.Count ?? 0); i++)
        {
            var volume = volumes![i];
            var itemPath = path.Index(i);
            var namePath = itemPath.Child("name");
            var own = VolumeSourceValidation.Validate(volume, itemPath, podName);
            if (string.IsNullOrEmpty(volume.Name))
            {
                own.Add(FieldError.Required(namePath));
            }
            else
            {
                own.AddRange(FieldChecks.Dns1123Label(volume.Name, namePath));
            }

            if (names.Contains(volume.Name ?? string.Empty))
            {
                own.Add(FieldError.Duplicate(namePath, volume.Name ?? string.Empty));
            }

            if (own.Count == 0)
            {
                names.Add(volume.Name!);
                valid[volume.Name!] = volume;
            }
            else
            {
                errors.AddRange(own);
            }

            if (volume.PersistentVolumeClaim?.ClaimName is { } claim && createdClaims.Contains(claim))
            {
                errors.Add(FieldError.Invalid(itemPath.Child("persistentVolumeClaim", "claimName"), claim, "must not reference a PVC that gets created for an ephemeral volume"));
            }
        }

        return (valid, errors);
    }

    /// <summary>Upstream validatePathNoBacksteps: no <c>..</c> element.</summary>
    public static IEnumerable<FieldError> NoBacksteps(string target, FieldPath path) =>
        target.Replace('\\', '/').Split('/').Contains("..") ? [FieldError.Invalid(path, target, "must not contain '..'")] : [];

    /// <summary>Upstream validateLocalDescendingPath: relative, without <c>..</c>.</summary>
    public static IEnumerable<FieldError> LocalDescending(string target, FieldPath path)
    {
        if (target.StartsWith('/'))
        {
            yield return FieldError.Invalid(path, target, "must be a relative path");
        }

        foreach (var e in NoBacksteps(target, path))
        {
            yield return e;
        }
    }

    /// <summary>Upstream ValidateLocalNonReservedPath: as LocalDescending, and not starting with <c>..</c>.</summary>
    public static IEnumerable<FieldError> LocalNonReserved(string target, FieldPath path)
    {
        foreach (var e in LocalDescending(target, path))
        {
            yield return e;
        }

        if (target.StartsWith("..", StringComparison.Ordinal) && !target.StartsWith("../", StringComparison.Ordinal))
        {
            yield return FieldError.Invalid(path, target, "must not start with '..'");
        }
    }
}
