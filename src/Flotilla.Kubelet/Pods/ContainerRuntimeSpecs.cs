using Flotilla.Api.Resources;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// A real container's cgroup limits and security as upstream's kuberuntime derives them from the pod and container
/// specs: CPU shares from the request and CFS quota from the limit, the memory limit, the OOM score by QoS class, the
/// pod's cgroup parent by QoS class; the effective security context (the container's over the pod's), with
/// upstream's default masked paths and the runAsNonRoot check.
/// </summary>
public static class ContainerRuntimeSpecs
{
    public const long CfsPeriod = 100_000;

    private static readonly string[] DefaultMaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] DefaultReadOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <param name="memoryCapacity">The node's memory, in bytes (a Burstable container's OOM score is its request's share of it).</param>
    public static ContainerResources Resources(V1Pod pod, V1Container container, decimal memoryCapacity)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var requests = container.Resources?.Requests;
        var limits = container.Resources?.Limits;
        var cpuLimit = Milli(limits, "cpu");
        var cpuRequest = requests is not null && requests.ContainsKey("cpu") ? Milli(requests, "cpu") : cpuLimit;
        var memoryLimit = limits is not null && limits.TryGetValue("memory", out var memory) ? (long)decimal.Ceiling(memory.ToDecimal()) : 0;
        var quota = cpuLimit == 0 ? 0 : Math.Max(1000, cpuLimit * CfsPeriod / 1000);
        return new ContainerResources(Shares(cpuRequest), quota, CfsPeriod, memoryLimit, OomScoreAdj(pod, container, memoryCapacity));
    }

    /// <summary>Upstream's MilliCPUToShares: 1024 per core, 2 at least, 262144 at most.</summary>
    public static long Shares(long milliCpu) => milliCpu == 0 ? 2 : Math.Clamp(milliCpu * 1024 / 1000, 2, 262_144);

    /// <summary>Upstream's GetContainerOOMScoreAdjust.</summary>
    public static long OomScoreAdj(V1Pod pod, V1Container container, decimal memoryCapacity)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        if (pod.Spec.PriorityClassName == "system-node-critical")
        {
            return -997;
        }

        switch (PodQos.Of(pod))
        {
            case "Guaranteed":
                return -997;
            case "BestEffort":
                return 1000;
        }

        var request = container.Resources?.Requests is { } requests && requests.TryGetValue("memory", out var memory) ? memory.ToDecimal() : 0;
        var score = memoryCapacity > 0 ? (long)(1000 - decimal.Floor(1000 * request / memoryCapacity)) : 1000;
        return score < 3 ? 3 : score == 1000 ? 999 : score;
    }

    /// <summary>The pod's cgroup under the cgroupfs driver: <c>/kubepods[/burstable|/besteffort]/pod&lt;uid&gt;</c>.</summary>
    public static string CgroupParent(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return PodQos.Of(pod) switch
        {
            "Guaranteed" => $"/kubepods/pod{pod.Metadata.Uid}",
            "BestEffort" => $"/kubepods/besteffort/pod{pod.Metadata.Uid}",
            _ => $"/kubepods/burstable/pod{pod.Metadata.Uid}",
        };
    }

    /// <summary>Upstream's determineEffectiveSecurityContext, as CRI carries it; fsGroup joins the supplemental groups.</summary>
    public static ContainerSecurity Security(V1Pod pod, V1Container container)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var podSc = pod.Spec.SecurityContext;
        var sc = container.SecurityContext;
        var privileged = sc?.Privileged == true;
        var seccomp = sc?.SeccompProfile ?? podSc?.SeccompProfile;
        var groups = (podSc?.SupplementalGroups ?? []).OfType<long>().ToList();
        if (podSc?.FsGroup is { } fsGroup && !groups.Contains(fsGroup))
        {
            groups.Add(fsGroup);
        }

        var unmasked = privileged || sc?.ProcMount == "Unmasked";
        return new ContainerSecurity
        {
            Privileged = privileged,
            AddCapabilities = [.. sc?.Capabilities?.Add ?? []],
            DropCapabilities = [.. sc?.Capabilities?.Drop ?? []],
            RunAsUser = sc?.RunAsUser ?? podSc?.RunAsUser,
            RunAsGroup = sc?.RunAsGroup ?? podSc?.RunAsGroup,
            SupplementalGroups = groups,
            ReadOnlyRootFilesystem = sc?.ReadOnlyRootFilesystem == true,
            NoNewPrivileges = sc?.AllowPrivilegeEscalation == false,
            Seccomp = seccomp?.Type ?? "Unconfined",
            SeccompLocalhostProfile = seccomp?.LocalhostProfile,
            MaskedPaths = unmasked ? [] : DefaultMaskedPaths,
            ReadOnlyPaths = unmasked ? [] : DefaultReadOnlyPaths,
            Namespaces = Namespaces(pod),
        };
    }

    public static PodNamespaces Namespaces(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return new PodNamespaces(pod.Spec.HostNetwork == true, pod.Spec.HostPID == true, pod.Spec.HostIPC == true, pod.Spec.ShareProcessNamespace == true);
    }

    /// <summary>Upstream's verifyRunAsNonRoot; null when the container may run.</summary>
    /// <param name="imageUid">The image's numeric user, if it has one.</param>
    /// <param name="imageUser">The image's user name, if not numeric.</param>
    public static string? NonRootViolation(V1Pod pod, V1Container container, long? imageUid, string? imageUser)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        var sc = container.SecurityContext;
        var podSc = pod.Spec.SecurityContext;
        if ((sc?.RunAsNonRoot ?? podSc?.RunAsNonRoot) != true)
        {
            return null;
        }

        var who = $"\"{pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})\"";
        if ((sc?.RunAsUser ?? podSc?.RunAsUser) is { } user)
        {
            return user == 0 ? $"container's runAsUser breaks non-root policy (pod: {who}, container: {container.Name})" : null;
        }

        if (imageUid is 0 || (imageUid is null && string.IsNullOrEmpty(imageUser)))
        {
            return $"container has runAsNonRoot and image will run as root (pod: {who}, container: {container.Name})";
        }

        return imageUid is null
            ? $"container has runAsNonRoot and image has non-numeric user ({imageUser}), cannot verify user is non-root (pod: {who}, container: {container.Name})"
            : null;
    }

    private static long Milli(IDictionary<string, ResourceQuantity>? list, string name) =>
        list is not null && list.TryGetValue(name, out var q) ? (long)decimal.Ceiling(q.ToDecimal() * 1000) : 0;
}
