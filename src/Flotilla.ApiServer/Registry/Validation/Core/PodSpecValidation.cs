using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>
/// Upstream ValidatePodSpec, for pods and for the pod templates of every workload. Fields upstream defaults before
/// validating (restartPolicy, dnsPolicy, terminationGracePeriodSeconds, protocols, ...) are read with those defaults
/// when unset, so the result is the same whether or not defaulting has run.
/// </summary>
public static class PodSpecValidation
{
    public const long DefaultGracePeriodSeconds = 30;

    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];

    /// <summary>The restart policy a pod spec runs with (upstream defaults an empty one to Always).</summary>
    public static string RestartPolicy(V1PodSpec? spec) => string.IsNullOrEmpty(spec?.RestartPolicy) ? "Always" : spec.RestartPolicy;

    public static List<FieldError> Validate(V1PodSpec? spec, FieldPath path, string? podName = null)
    {
        spec ??= new V1PodSpec();
        var errors = new List<FieldError>();
        var (volumes, volumeErrors) = VolumeValidation.Validate(spec.Volumes, path.Child("volumes"), podName);
        errors.AddRange(volumeErrors);
        var claimNames = ResourceClaims(spec.ResourceClaims, path.Child("resourceClaims"), errors);
        var restartPolicy = RestartPolicy(spec);
        var context = new PodSpecContext(volumes, claimNames, spec.TerminationGracePeriodSeconds ?? DefaultGracePeriodSeconds, restartPolicy, spec.HostUsers != false);
        errors.AddRange(ContainerValidation.Containers(spec, context, path.Child("containers")));
        errors.AddRange(ContainerValidation.InitContainers(spec, context, path.Child("initContainers")));
        errors.AddRange(ContainerValidation.EphemeralContainers(spec, context, path.Child("ephemeralContainers")));
        errors.AddRange(HostNetworkPorts(spec, path));
        if (!RestartPolicies.Contains(restartPolicy))
        {
            errors.Add(FieldError.NotSupported(path.Child("restartPolicy"), restartPolicy, RestartPolicies));
        }

        errors.AddRange(PodDnsValidation.Policy(spec, path));
        errors.AddRange(FieldChecks.Labels(spec.NodeSelector, path.Child("nodeSelector")));
        errors.AddRange(SecurityContextValidation.Pod(spec, path));
        errors.AddRange(AffinityValidation.Affinity(spec.Affinity, path.Child("affinity")));
        errors.AddRange(PodDnsValidation.Config(spec, path));
        errors.AddRange((spec.ReadinessGates ?? []).SelectMany((gate, i) => FieldChecks.QualifiedName(gate.ConditionType ?? string.Empty, path.Child("readinessGates").Index(i).Child("conditionType"))));
        errors.AddRange(SchedulingGates(spec.SchedulingGates, path.Child("schedulingGates")));
        errors.AddRange(AffinityValidation.TopologySpread(spec.TopologySpreadConstraints, path.Child("topologySpreadConstraints")));
        errors.AddRange(SecurityContextValidation.HostUsers(spec, path));
        errors.AddRange(NamedReferences(spec, path));
        if (spec.ActiveDeadlineSeconds is { } deadline && deadline is < 1 or > int.MaxValue)
        {
            errors.Add(FieldError.Invalid(path.Child("activeDeadlineSeconds"), deadline, ValidationText.InclusiveRange(1, int.MaxValue)));
        }

        if (!string.IsNullOrEmpty(spec.Hostname))
        {
            errors.AddRange(FieldChecks.Dns1123Label(spec.Hostname, path.Child("hostname")));
        }

        if (!string.IsNullOrEmpty(spec.Subdomain))
        {
            errors.AddRange(FieldChecks.Dns1123Label(spec.Subdomain, path.Child("subdomain")));
        }

        errors.AddRange(TolerationValidation.Tolerations(spec.Tolerations, path.Child("tolerations")));
        errors.AddRange(PodDnsValidation.HostAliases(spec.HostAliases, path.Child("hostAliases")));
        if (spec.PreemptionPolicy is { } preemption && preemption is not ("PreemptLowerPriority" or "Never"))
        {
            errors.Add(preemption.Length == 0
                ? FieldError.Required(path.Child("preemptionPolicy"))
                : FieldError.NotSupported(path.Child("preemptionPolicy"), preemption, ["PreemptLowerPriority", "Never"]));
        }

        if (spec.Overhead is not null)
        {
            errors.AddRange(ResourceRequirementsValidation.Validate(new V1ResourceRequirements { Limits = spec.Overhead }, claimNames, path.Child("overhead")));
        }

        errors.AddRange(OperatingSystem(spec, path));
        return errors;
    }

    private static HashSet<string> ResourceClaims(IList<V1PodResourceClaim>? claims, FieldPath path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (claims?.Count ?? 0); i++)
        {
            var claim = claims![i];
            var namePath = path.Index(i).Child("name");
            if (string.IsNullOrEmpty(claim.Name))
            {
                errors.Add(FieldError.Required(namePath));
            }
            else if (!names.Add(claim.Name))
            {
                errors.Add(FieldError.Duplicate(namePath, claim.Name));
            }
            else
            {
                errors.AddRange(FieldChecks.Dns1123Label(claim.Name, namePath));
            }
        }

        return names;
    }

    // Host-networked pods serve on the node's ports: a set hostPort must equal the containerPort (upstream defaults a
    // pod's unset hostPort to it, and lets a template's stay unset).
    private static IEnumerable<FieldError> HostNetworkPorts(V1PodSpec spec, FieldPath path)
    {
        if (spec.HostNetwork != true)
        {
            yield break;
        }

        var containers = spec.Containers ?? [];
        for (var c = 0; c < containers.Count; c++)
        {
            var ports = containers[c].Ports ?? [];
            for (var p = 0; p < ports.Count; p++)
            {
                var hostPort = ports[p].HostPort ?? 0;
                if (hostPort != 0 && hostPort != ports[p].ContainerPort)
                {
                    yield return FieldError.Invalid(path.Child("containers").Index(c).Child("ports").Index(p).Child("hostPort"), hostPort, "must match `containerPort` when `hostNetwork` is true");
                }
            }
        }
    }

    private static IEnumerable<FieldError> SchedulingGates(IList<V1PodSchedulingGate>? gates, FieldPath path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (gates?.Count ?? 0); i++)
        {
            var name = gates![i].Name ?? string.Empty;
            foreach (var e in FieldChecks.QualifiedName(name, path.Index(i)))
            {
                yield return e;
            }

            if (!seen.Add(name))
            {
                yield return FieldError.Duplicate(path.Index(i), name);
            }
        }
    }

    private static IEnumerable<FieldError> NamedReferences(V1PodSpec spec, FieldPath path)
    {
        (string Field, string? Value)[] references =
        [
            ("serviceAccountName", spec.ServiceAccountName),
            ("nodeName", spec.NodeName),
        ];
        foreach (var (field, value) in references)
        {
            if (!string.IsNullOrEmpty(value))
            {
                foreach (var e in FieldChecks.Name(value, NameValidation.NameIsDnsSubdomain, path.Child(field)))
                {
                    yield return e;
                }
            }
        }

        if (!string.IsNullOrEmpty(spec.PriorityClassName))
        {
            foreach (var e in FieldChecks.Name(spec.PriorityClassName, NameValidation.NameIsDnsSubdomain, path.Child("priorityClassName")))
            {
                yield return e;
            }
        }

        if (spec.RuntimeClassName is { } runtimeClass)
        {
            foreach (var e in FieldChecks.Name(runtimeClass, NameValidation.NameIsDnsSubdomain, path.Child("runtimeClassName")))
            {
                yield return e;
            }
        }
    }

    private static IEnumerable<FieldError> OperatingSystem(V1PodSpec spec, FieldPath path)
    {
        if (spec.Os is null)
        {
            yield break;
        }

        var osPath = path.Child("os");
        if (string.IsNullOrEmpty(spec.Os.Name))
        {
            yield return FieldError.Required(osPath.Child("name"), "cannot be empty");
            yield break;
        }

        if (spec.Os.Name is not ("linux" or "windows"))
        {
            yield return FieldError.NotSupported(osPath, spec.Os.Name, ["linux", "windows"]);
            yield break;
        }

        var containers = (spec.Containers ?? []).Select((c, i) => (c.SecurityContext, Path: path.Child("containers").Index(i)))
            .Concat((spec.InitContainers ?? []).Select((c, i) => (c.SecurityContext, Path: path.Child("initContainers").Index(i))));
        if (spec.Os.Name == "linux")
        {
            if (spec.SecurityContext?.WindowsOptions is not null)
            {
                yield return FieldError.Forbidden(path.Child("securityContext", "windowsOptions"), "windows options cannot be set for a linux pod");
            }

            foreach (var (context, containerPath) in containers)
            {
                if (context?.WindowsOptions is not null)
                {
                    yield return FieldError.Forbidden(containerPath.Child("securityContext", "windowsOptions"), "windows options cannot be set for a linux pod");
                }
            }

            yield break;
        }

        var pod = spec.SecurityContext;
        (bool Set, FieldPath Field)[] podFields =
        [
            (pod?.AppArmorProfile is not null, path.Child("securityContext", "appArmorProfile")),
            (pod?.SeLinuxOptions is not null, path.Child("securityContext", "seLinuxOptions")),
            (spec.HostUsers is not null, path.Child("hostUsers")),
            (spec.HostPID == true, path.Child("hostPID")),
            (spec.HostIPC == true, path.Child("hostIPC")),
            (pod?.SeccompProfile is not null, path.Child("securityContext", "seccompProfile")),
            (pod?.FsGroup is not null, path.Child("securityContext", "fsGroup")),
            (pod?.FsGroupChangePolicy is not null, path.Child("securityContext", "fsGroupChangePolicy")),
            (pod?.Sysctls is { Count: > 0 }, path.Child("securityContext", "sysctls")),
            (spec.ShareProcessNamespace is not null, path.Child("shareProcessNamespace")),
            (pod?.RunAsUser is not null, path.Child("securityContext", "runAsUser")),
            (pod?.RunAsGroup is not null, path.Child("securityContext", "runAsGroup")),
            (pod?.SupplementalGroups is not null, path.Child("securityContext", "supplementalGroups")),
        ];
        foreach (var (_, field) in podFields.Where(f => f.Set))
        {
            yield return FieldError.Forbidden(field, "cannot be set for a windows pod");
        }

        foreach (var (context, containerPath) in containers)
        {
            var scPath = containerPath.Child("securityContext");
            (bool Set, string Field)[] fields =
            [
                (context?.AppArmorProfile is not null, "appArmorProfile"), (context?.SeLinuxOptions is not null, "seLinuxOptions"),
                (context?.SeccompProfile is not null, "seccompProfile"), (context?.Capabilities is not null, "capabilities"),
                (context?.ReadOnlyRootFilesystem is not null, "readOnlyRootFilesystem"), (context?.Privileged is not null, "privileged"),
                (context?.AllowPrivilegeEscalation is not null, "allowPrivilegeEscalation"), (context?.ProcMount is not null, "procMount"),
                (context?.RunAsUser is not null, "runAsUser"), (context?.RunAsGroup is not null, "runAsGroup"),
            ];
            foreach (var (_, field) in fields.Where(f => f.Set))
            {
                yield return FieldError.Forbidden(scPath.Child(field), "cannot be set for a windows pod");
            }
        }
    }
}
