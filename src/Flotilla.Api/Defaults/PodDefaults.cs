using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// Upstream's SetObjectDefaults_Pod. <see cref="ApplyToPodSpec"/> is the part every pod template shares (the
/// generated defaulters of Deployment, Job, ... call the same PodSpec defaults); <see cref="Apply"/> adds what
/// only a real pod gets (SetDefaults_Pod), so a default added there never rolls out existing workloads.
/// </summary>
public static class PodDefaults
{
    public const string DnsClusterFirst = "ClusterFirst";
    public const string RestartAlways = "Always";
    public const long TerminationGracePeriodSeconds = 30;
    public const string DefaultSchedulerName = "default-scheduler";

    public static void Apply(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec ??= new V1PodSpec();
        DefaultRequestsFromLimits(spec.Containers);
        DefaultRequestsFromLimits(spec.InitContainers);
        spec.EnableServiceLinks ??= true;

        // With host networking the container ports are host ports (pods only since 1.28).
        if (spec.HostNetwork == true)
        {
            DefaultHostPorts(spec.Containers);
            DefaultHostPorts(spec.InitContainers);
        }

        ApplyToPodSpec(spec);
        ApplyToStatus(pod.Status);
    }

    /// <summary>A workload's pod template: the spec's defaults only, never the pod-only ones.</summary>
    public static void ApplyToTemplate(V1PodTemplateSpec? template)
    {
        if (template is not null)
        {
            ApplyToPodSpec(template.Spec ??= new V1PodSpec());
        }
    }

    public static void ApplyToPodSpec(V1PodSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrEmpty(spec.DnsPolicy))
        {
            spec.DnsPolicy = DnsClusterFirst;
        }

        if (string.IsNullOrEmpty(spec.RestartPolicy))
        {
            spec.RestartPolicy = RestartAlways;
        }

        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.TerminationGracePeriodSeconds ??= TerminationGracePeriodSeconds;
        if (string.IsNullOrEmpty(spec.SchedulerName))
        {
            spec.SchedulerName = DefaultSchedulerName;
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            VolumeDefaults.Apply(volume);
        }

        foreach (var container in spec.InitContainers ?? [])
        {
            ContainerDefaults.Apply(container);
        }

        foreach (var container in spec.Containers ?? [])
        {
            ContainerDefaults.Apply(container);
        }

        foreach (var container in spec.EphemeralContainers ?? [])
        {
            ContainerDefaults.Apply(container);
        }

        ResourceListDefaults.RoundUpToMilli(spec.Overhead);
        ResourceListDefaults.RoundUpToMilli(spec.Resources);
    }

    // Requests the container left out are the limits it set (only for pods: a template keeps what was written).
    private static void DefaultRequestsFromLimits(IList<V1Container>? containers)
    {
        foreach (var container in containers ?? [])
        {
            if (container.Resources?.Limits is not { Count: > 0 } limits)
            {
                continue;
            }

            var requests = container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
            foreach (var (name, limit) in limits)
            {
                requests.TryAdd(name, limit);
            }
        }
    }

    private static void DefaultHostPorts(IList<V1Container>? containers)
    {
        foreach (var port in (containers ?? []).SelectMany(c => c.Ports ?? []))
        {
            if (port.HostPort is null or 0)
            {
                port.HostPort = port.ContainerPort;
            }
        }
    }

    private static void ApplyToStatus(V1PodStatus? status)
    {
        if (status is null)
        {
            return;
        }

        foreach (var container in new[] { status.ContainerStatuses, status.InitContainerStatuses, status.EphemeralContainerStatuses }
                     .SelectMany(s => s ?? []))
        {
            ResourceListDefaults.RoundUpToMilli(container.AllocatedResources);
            ResourceListDefaults.RoundUpToMilli(container.Resources);
        }
    }
}
