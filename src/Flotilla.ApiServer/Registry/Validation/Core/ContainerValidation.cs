using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream validateContainers, validateInitContainers, validateEphemeralContainers and validateContainerCommon.</summary>
public static class ContainerValidation
{
    // Fields an ephemeral container may not set, in upstream's struct order, as its allow-list reports them.
    private static readonly (string Name, Func<V1EphemeralContainer, bool> IsSet)[] EphemeralForbidden =
    [
        ("ports", c => c.Ports is { Count: > 0 }),
        ("resources", c => c.Resources is not null && ((c.Resources.Limits?.Count ?? 0) + (c.Resources.Requests?.Count ?? 0) + (c.Resources.Claims?.Count ?? 0)) > 0),
        ("resizePolicy", c => c.ResizePolicy is { Count: > 0 }),
        ("restartPolicy", c => c.RestartPolicy is not null),
        ("livenessProbe", c => c.LivenessProbe is not null),
        ("readinessProbe", c => c.ReadinessProbe is not null),
        ("startupProbe", c => c.StartupProbe is not null),
        ("lifecycle", c => c.Lifecycle is not null),
    ];

    public static IEnumerable<FieldError> Containers(V1PodSpec spec, PodSpecContext context, FieldPath path)
    {
        var containers = spec.Containers ?? [];
        var errors = new List<FieldError>();
        if (containers.Count == 0)
        {
            errors.Add(FieldError.Required(path));
            return errors;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var itemPath = path.Index(i);
            errors.AddRange(Common(container, context, itemPath));
            if (!names.Add(container.Name ?? string.Empty))
            {
                errors.Add(FieldError.Duplicate(itemPath.Child("name"), container.Name ?? string.Empty));
            }

            errors.AddRange(ProbeValidation.Lifecycle(container.Lifecycle, context.GracePeriod, itemPath.Child("lifecycle")));
            errors.AddRange(ProbeValidation.Liveness(container.LivenessProbe, context.GracePeriod, itemPath.Child("livenessProbe")));
            errors.AddRange(ProbeValidation.Readiness(container.ReadinessProbe, context.GracePeriod, itemPath.Child("readinessProbe")));
            errors.AddRange(ProbeValidation.Startup(container.StartupProbe, context.GracePeriod, itemPath.Child("startupProbe")));
            if (container.RestartPolicy is not null)
            {
                errors.Add(FieldError.Forbidden(itemPath.Child("restartPolicy"), "may not be set for non-init containers"));
            }
        }

        errors.AddRange(ContainerPortValidation.HostPortConflicts(containers, path));
        return errors;
    }

    public static IEnumerable<FieldError> InitContainers(V1PodSpec spec, PodSpecContext context, FieldPath path)
    {
        var errors = new List<FieldError>();
        var names = new HashSet<string>((spec.Containers ?? []).Select(c => c.Name ?? string.Empty), StringComparer.Ordinal);
        var containers = spec.InitContainers ?? [];
        for (var i = 0; i < containers.Count; i++)
        {
            var container = containers[i];
            var itemPath = path.Index(i);
            errors.AddRange(Common(container, context, itemPath));
            var restartable = container.RestartPolicy == "Always";
            if (container.RestartPolicy is not null && !restartable)
            {
                errors.Add(FieldError.NotSupported(itemPath.Child("restartPolicy"), container.RestartPolicy, ["Always"]));
            }

            if (names.Contains(container.Name ?? string.Empty))
            {
                errors.Add(FieldError.Duplicate(itemPath.Child("name"), container.Name ?? string.Empty));
            }
            else if (!string.IsNullOrEmpty(container.Name))
            {
                names.Add(container.Name);
            }

            // Init containers run one at a time, so each is checked alone (and upstream reports it at index 0).
            errors.AddRange(ContainerPortValidation.HostPortConflicts([container], path));
            if (restartable)
            {
                errors.AddRange(ProbeValidation.Lifecycle(container.Lifecycle, context.GracePeriod, itemPath.Child("lifecycle")));
                errors.AddRange(ProbeValidation.Liveness(container.LivenessProbe, context.GracePeriod, itemPath.Child("livenessProbe")));
                errors.AddRange(ProbeValidation.Readiness(container.ReadinessProbe, context.GracePeriod, itemPath.Child("readinessProbe")));
                errors.AddRange(ProbeValidation.Startup(container.StartupProbe, context.GracePeriod, itemPath.Child("startupProbe")));
            }
            else
            {
                (string Name, object? Value)[] disallowed =
                [("lifecycle", container.Lifecycle), ("livenessProbe", container.LivenessProbe), ("readinessProbe", container.ReadinessProbe), ("startupProbe", container.StartupProbe)];
                foreach (var (name, set) in disallowed)
                {
                    if (set is not null)
                    {
                        errors.Add(FieldError.Forbidden(itemPath.Child(name), "may not be set for init containers without restartPolicy=Always"));
                    }
                }
            }
        }

        return errors;
    }

    public static IEnumerable<FieldError> EphemeralContainers(V1PodSpec spec, PodSpecContext context, FieldPath path)
    {
        var containers = spec.EphemeralContainers ?? [];
        var errors = new List<FieldError>();
        var others = new HashSet<string>((spec.Containers ?? []).Concat(spec.InitContainers ?? []).Select(c => c.Name ?? string.Empty), StringComparer.Ordinal);
        var all = new HashSet<string>(others, StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var ephemeral = containers[i];
            var itemPath = path.Index(i);
            var container = ToContainer(ephemeral);
            errors.AddRange(Common(container, context, itemPath));
            errors.AddRange(OnlyForPod(container, itemPath));
            if (!all.Add(ephemeral.Name ?? string.Empty))
            {
                errors.Add(FieldError.Duplicate(itemPath.Child("name"), ephemeral.Name ?? string.Empty));
            }

            if (!string.IsNullOrEmpty(ephemeral.TargetContainerName) && !others.Contains(ephemeral.TargetContainerName))
            {
                errors.Add(FieldChecks.NotFound(itemPath.Child("targetContainerName"), ephemeral.TargetContainerName));
            }

            errors.AddRange(EphemeralForbidden.Where(f => f.IsSet(ephemeral)).Select(f => FieldError.Forbidden(itemPath.Child(f.Name), "cannot be set for an Ephemeral Container")));
            var mounts = ephemeral.VolumeMounts ?? [];
            for (var m = 0; m < mounts.Count; m++)
            {
                if (!string.IsNullOrEmpty(mounts[m].SubPath))
                {
                    errors.Add(FieldError.Forbidden(itemPath.Child("volumeMounts").Index(m).Child("subPath"), "cannot be set for an Ephemeral Container"));
                }

                if (!string.IsNullOrEmpty(mounts[m].SubPathExpr))
                {
                    errors.Add(FieldError.Forbidden(itemPath.Child("volumeMounts").Index(m).Child("subPathExpr"), "cannot be set for an Ephemeral Container"));
                }
            }
        }

        return errors;
    }

    /// <summary>Upstream validateContainerOnlyForPod: a pod's (not a template's) image may not be padded.</summary>
    public static IEnumerable<FieldError> OnlyForPod(V1Container container, FieldPath path) =>
        container.Image is { } image && image.Trim().Length != image.Length
            ? [FieldError.Invalid(path.Child("image"), image, "must not have leading or trailing whitespace")]
            : [];

    private static List<FieldError> Common(V1Container container, PodSpecContext context, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(container.Name))
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }
        else
        {
            errors.AddRange(FieldChecks.Dns1123Label(container.Name, path.Child("name")));
        }

        // Only emptiness is checked: a template's " " image is a placeholder some tools rely on.
        if (string.IsNullOrEmpty(container.Image))
        {
            errors.Add(FieldError.Required(path.Child("image")));
        }

        // terminationMessagePolicy defaults to File, imagePullPolicy by image tag.
        if (!string.IsNullOrEmpty(container.TerminationMessagePolicy) && container.TerminationMessagePolicy is not ("File" or "FallbackToLogsOnError"))
        {
            errors.Add(FieldError.NotSupported(path.Child("terminationMessagePolicy"), container.TerminationMessagePolicy, ["File", "FallbackToLogsOnError"]));
        }

        errors.AddRange(ContainerPortValidation.Validate(container.Ports, path.Child("ports")));
        errors.AddRange(EnvValidation.Validate(container.Env, path.Child("env")));
        errors.AddRange(EnvValidation.ValidateFrom(container.EnvFrom, path.Child("envFrom")));
        errors.AddRange(VolumeMountValidation.Mounts(container, context.Volumes, path.Child("volumeMounts")));
        errors.AddRange(VolumeMountValidation.Devices(container, context.Volumes, path.Child("volumeDevices")));
        errors.AddRange(VolumeSourceValidation.PullPolicy(container.ImagePullPolicy, path.Child("imagePullPolicy")));
        errors.AddRange(ResourceRequirementsValidation.Validate(container.Resources, context.ClaimNames, path.Child("resources")));
        errors.AddRange(ResizePolicy(container.ResizePolicy, context.RestartPolicy, path.Child("resizePolicy")));
        errors.AddRange(SecurityContextValidation.Container(container.SecurityContext, path.Child("securityContext"), context.HostUsers));
        return errors;
    }

    private static IEnumerable<FieldError> ResizePolicy(IList<V1ContainerResizePolicy>? policies, string restartPolicy, FieldPath path)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (policies?.Count ?? 0); i++)
        {
            var policy = policies![i];
            if (!seen.Add(policy.ResourceName ?? string.Empty))
            {
                yield return FieldError.Duplicate(path.Index(i), policy.ResourceName ?? string.Empty);
            }

            if (string.IsNullOrEmpty(policy.ResourceName))
            {
                yield return FieldError.Required(path);
            }
            else if (policy.ResourceName is not ("cpu" or "memory"))
            {
                yield return FieldError.NotSupported(path, policy.ResourceName, ["cpu", "memory"]);
            }

            if (string.IsNullOrEmpty(policy.RestartPolicy))
            {
                yield return FieldError.Required(path);
            }
            else if (policy.RestartPolicy is not ("NotRequired" or "RestartContainer"))
            {
                yield return FieldError.NotSupported(path, policy.RestartPolicy, ["NotRequired", "RestartContainer"]);
            }

            if (restartPolicy == "Never" && policy.RestartPolicy != "NotRequired")
            {
                yield return FieldError.Invalid(path, policy.RestartPolicy ?? string.Empty, "must be 'NotRequired' when `restartPolicy` is 'Never'");
            }
        }
    }

    private static V1Container ToContainer(V1EphemeralContainer c) => new()
    {
        Name = c.Name, Image = c.Image, Command = c.Command, Args = c.Args, WorkingDir = c.WorkingDir, Ports = c.Ports,
        EnvFrom = c.EnvFrom, Env = c.Env, Resources = c.Resources, ResizePolicy = c.ResizePolicy, RestartPolicy = c.RestartPolicy,
        VolumeMounts = c.VolumeMounts, VolumeDevices = c.VolumeDevices, LivenessProbe = c.LivenessProbe, ReadinessProbe = c.ReadinessProbe,
        StartupProbe = c.StartupProbe, Lifecycle = c.Lifecycle, TerminationMessagePath = c.TerminationMessagePath,
        TerminationMessagePolicy = c.TerminationMessagePolicy, ImagePullPolicy = c.ImagePullPolicy, SecurityContext = c.SecurityContext,
        Stdin = c.Stdin, StdinOnce = c.StdinOnce, Tty = c.Tty,
    };
}
