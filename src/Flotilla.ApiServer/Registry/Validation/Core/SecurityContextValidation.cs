using System.Text.RegularExpressions;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateSecurityContext (containers) and validatePodSpecSecurityContext.</summary>
public static partial class SecurityContextValidation
{
    private const int SysctlMaxLength = 253;
    private const string SysctlFormat = @"([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?";

    public static IEnumerable<FieldError> Container(V1SecurityContext? context, FieldPath path, bool hostUsers)
    {
        if (context is null)
        {
            yield break;
        }

        // Privileged containers are allowed (kube-apiserver --allow-privileged=true, as every usual cluster runs it).
        foreach (var e in Ids(context.RunAsUser, context.RunAsGroup, path))
        {
            yield return e;
        }

        if (context.ProcMount is { } procMount)
        {
            if (procMount is not ("Default" or "Unmasked"))
            {
                yield return FieldError.NotSupported(path.Child("procMount"), procMount, ["Default", "Unmasked"]);
            }

            if (hostUsers && procMount == "Unmasked")
            {
                yield return FieldError.Invalid(path.Child("procMount"), procMount, "`hostUsers` must be false to use `Unmasked`");
            }
        }

        foreach (var e in Seccomp(context.SeccompProfile, path.Child("seccompProfile")))
        {
            yield return e;
        }

        if (context.AllowPrivilegeEscalation == false)
        {
            var printed = new GoValue("core.SecurityContext{...}");
            if (context.Privileged == true)
            {
                yield return FieldError.Invalid(path, printed, "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
            }

            if (context.Capabilities?.Add?.Contains("CAP_SYS_ADMIN") == true)
            {
                yield return FieldError.Invalid(path, printed, "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
            }
        }

        foreach (var e in AppArmor(context.AppArmorProfile, path.Child("appArmorProfile")))
        {
            yield return e;
        }
    }

    public static IEnumerable<FieldError> Pod(V1PodSpec spec, FieldPath specPath)
    {
        var context = spec.SecurityContext;
        var path = specPath.Child("securityContext");
        if (context is not null)
        {
            if (context.FsGroup is { } fsGroup)
            {
                foreach (var message in FormatValidation.IsValidUserOrGroupId(fsGroup))
                {
                    yield return FieldError.Invalid(path.Child("fsGroup"), fsGroup, message);
                }
            }

            foreach (var e in Ids(context.RunAsUser, context.RunAsGroup, path))
            {
                yield return e;
            }

            var groups = context.SupplementalGroups ?? [];
            for (var i = 0; i < groups.Count; i++)
            {
                foreach (var message in FormatValidation.IsValidUserOrGroupId(groups[i] ?? 0))
                {
                    yield return FieldError.Invalid(path.Child("supplementalGroups").Index(i), groups[i] ?? 0, message);
                }
            }

            if (spec.ShareProcessNamespace == true && spec.HostPID == true)
            {
                yield return FieldError.Invalid(path.Child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled");
            }

            foreach (var e in Sysctls(spec, path.Child("sysctls")))
            {
                yield return e;
            }

            if (context.FsGroupChangePolicy is { } policy && policy is not ("Always" or "OnRootMismatch"))
            {
                yield return FieldError.NotSupported(path.Child("fsGroupChangePolicy"), policy, ["Always", "OnRootMismatch"]);
            }

            foreach (var e in Seccomp(context.SeccompProfile, path.Child("seccompProfile")).Concat(AppArmor(context.AppArmorProfile, path.Child("appArmorProfile"))))
            {
                yield return e;
            }

            if (context.SupplementalGroupsPolicy is { } groupsPolicy && groupsPolicy is not ("Merge" or "Strict"))
            {
                yield return FieldError.NotSupported(path.Child("supplementalGroupsPolicy"), groupsPolicy, ["Merge", "Strict"]);
            }

            if (context.SeLinuxChangePolicy is { } seLinux && seLinux is not ("MountOption" or "Recursive"))
            {
                yield return FieldError.NotSupported(path.Child("seLinuxChangePolicy"), seLinux, ["MountOption", "Recursive"]);
            }
        }

    }

    /// <summary>User namespaces cannot be combined with the host's namespaces (upstream's capitalised paths kept).</summary>
    public static IEnumerable<FieldError> HostUsers(V1PodSpec spec, FieldPath specPath)
    {
        if (spec.HostUsers != false)
        {
            yield break;
        }

        if (spec.HostNetwork == true)
        {
            yield return FieldError.Forbidden(specPath.Child("hostNetwork"), "when `pod.Spec.HostUsers` is false");
        }

        if (spec.HostPID == true)
        {
            yield return FieldError.Forbidden(specPath.Child("HostPID"), "when `pod.Spec.HostUsers` is false");
        }

        if (spec.HostIPC == true)
        {
            yield return FieldError.Forbidden(specPath.Child("HostIPC"), "when `pod.Spec.HostUsers` is false");
        }
    }

    private static IEnumerable<FieldError> Ids(long? runAsUser, long? runAsGroup, FieldPath path)
    {
        if (runAsUser is { } user)
        {
            foreach (var message in FormatValidation.IsValidUserOrGroupId(user))
            {
                yield return FieldError.Invalid(path.Child("runAsUser"), user, message);
            }
        }

        if (runAsGroup is { } group)
        {
            foreach (var message in FormatValidation.IsValidUserOrGroupId(group))
            {
                yield return FieldError.Invalid(path.Child("runAsGroup"), group, message);
            }
        }
    }

    private static IEnumerable<FieldError> Sysctls(V1PodSpec spec, FieldPath path)
    {
        var sysctls = spec.SecurityContext?.Sysctls ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sysctls.Count; i++)
        {
            var name = sysctls[i].Name ?? string.Empty;
            var namePath = path.Index(i).Child("name");
            if (name.Length == 0)
            {
                yield return FieldError.Required(namePath);
            }
            else if (name.Length > SysctlMaxLength || !SysctlRegex().IsMatch(name))
            {
                yield return FieldError.Invalid(namePath, name, $"must have at most {SysctlMaxLength} characters and match regex ^{SysctlFormat}$");
            }
            else if (names.Contains(name))
            {
                yield return FieldError.Duplicate(namePath, name);
            }

            // Namespaced sysctls make no sense in the host's network or IPC namespace.
            var normalized = name.Replace('/', '.');
            if (spec.HostNetwork == true && normalized.StartsWith("net.", StringComparison.Ordinal))
            {
                yield return FieldError.Invalid(namePath, name, "may not be specified when 'hostNetwork' is true");
            }
            else if (spec.HostIPC == true && (normalized.StartsWith("kernel.shm", StringComparison.Ordinal) || normalized.StartsWith("kernel.msg", StringComparison.Ordinal) ||
                     normalized == "kernel.sem" || normalized.StartsWith("fs.mqueue.", StringComparison.Ordinal)))
            {
                yield return FieldError.Invalid(namePath, name, "may not be specified when 'hostIPC' is true");
            }

            names.Add(name);
        }
    }

    private static IEnumerable<FieldError> Seccomp(V1SeccompProfile? profile, FieldPath path)
    {
        if (profile is null)
        {
            yield break;
        }

        switch (profile.Type)
        {
            case "Localhost" or "RuntimeDefault" or "Unconfined":
                break;
            case null or "":
                yield return FieldError.Required(path.Child("type"), "type is required when seccompProfile is set");
                break;
            default:
                yield return FieldError.NotSupported(path.Child("type"), profile.Type, ["Localhost", "RuntimeDefault", "Unconfined"]);
                break;
        }

        if (profile.Type == "Localhost")
        {
            if (profile.LocalhostProfile is null)
            {
                yield return FieldError.Required(path.Child("localhostProfile"), "must be set when seccomp type is Localhost");
            }
            else
            {
                foreach (var e in VolumeValidation.LocalDescending(profile.LocalhostProfile, path.Child("localhostProfile")))
                {
                    yield return e;
                }
            }
        }
        else if (profile.LocalhostProfile is not null)
        {
            yield return FieldError.Invalid(path.Child("localhostProfile"), new GoValue("core.SeccompProfile{...}"), "can only be set when seccomp type is Localhost");
        }
    }

    private static IEnumerable<FieldError> AppArmor(V1AppArmorProfile? profile, FieldPath path)
    {
        if (profile is null)
        {
            yield break;
        }

        switch (profile.Type)
        {
            case "Localhost":
                if (string.IsNullOrWhiteSpace(profile.LocalhostProfile))
                {
                    yield return FieldError.Required(path.Child("localhostProfile"), "must be set when AppArmor type is Localhost");
                }
                else if (profile.LocalhostProfile.Trim() != profile.LocalhostProfile)
                {
                    yield return FieldError.Invalid(path.Child("localhostProfile"), profile.LocalhostProfile, "must not be padded with whitespace");
                }

                break;
            case "RuntimeDefault" or "Unconfined":
                if (profile.LocalhostProfile is not null)
                {
                    yield return FieldError.Invalid(path.Child("localhostProfile"), profile.LocalhostProfile, "can only be set when AppArmor type is Localhost");
                }

                break;
            case null or "":
                yield return FieldError.Required(path.Child("type"), "type is required when appArmorProfile is set");
                break;
            default:
                yield return FieldError.NotSupported(path.Child("type"), profile.Type, ["Localhost", "RuntimeDefault", "Unconfined"]);
                break;
        }
    }

    [GeneratedRegex("^" + SysctlFormat + @"\z")]
    private static partial Regex SysctlRegex();
}
