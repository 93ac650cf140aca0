namespace Flotilla.Kubelet.Runtime;

/// <summary>CRI LinuxContainerResources: what the container's cgroup allows it (upstream's generateLinuxContainerResources).</summary>
/// <param name="CpuShares">Relative CPU weight from the request (2 at least).</param>
/// <param name="CpuQuota">Microseconds per <paramref name="CpuPeriod"/> from the limit; 0 is none.</param>
/// <param name="MemoryLimitBytes">From the limit; 0 is none.</param>
/// <param name="OomScoreAdj">By QoS class: Guaranteed -997, BestEffort 1000, Burstable by its share of the node's memory.</param>
public sealed record ContainerResources(long CpuShares, long CpuQuota, long CpuPeriod, long MemoryLimitBytes, long OomScoreAdj);

/// <summary>CRI LinuxContainerSecurityContext: the user, privileges and confinement a container runs with.</summary>
public sealed record ContainerSecurity
{
    public bool Privileged { get; init; }

    public IReadOnlyList<string> AddCapabilities { get; init; } = [];

    public IReadOnlyList<string> DropCapabilities { get; init; } = [];

    public long? RunAsUser { get; init; }

    public long? RunAsGroup { get; init; }

    public IReadOnlyList<long> SupplementalGroups { get; init; } = [];

    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary><c>allowPrivilegeEscalation: false</c>.</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary><c>RuntimeDefault</c>, <c>Unconfined</c> or <c>Localhost</c> with <see cref="SeccompLocalhostProfile"/>; null leaves the runtime's choice (unconfined, as upstream without a profile).</summary>
    public string? Seccomp { get; init; }

    public string? SeccompLocalhostProfile { get; init; }

    /// <summary>The /proc and /sys paths masked and made read-only (upstream's defaults; none for privileged or <c>procMount: Unmasked</c>).</summary>
    public IReadOnlyList<string> MaskedPaths { get; init; } = [];

    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>The pod's namespaces, which the container joins.</summary>
    public PodNamespaces Namespaces { get; init; } = PodNamespaces.Own;
}

/// <summary>CRI NamespaceOption: which of the node's namespaces a pod shares, and whether its containers share one PID namespace (<c>shareProcessNamespace</c>).</summary>
public sealed record PodNamespaces(bool HostNetwork, bool HostPid, bool HostIpc, bool SharePid)
{
    public static PodNamespaces Own { get; } = new(false, false, false, false);
}

/// <summary>CRI DNSConfig: the pod's resolv.conf.</summary>
public sealed record PodDns(IReadOnlyList<string> Servers, IReadOnlyList<string> Searches, IReadOnlyList<string> Options);

/// <summary>CRI PortMapping: a <c>hostPort</c>.</summary>
public sealed record PortMapping(string Protocol, int ContainerPort, int HostPort, string? HostIp);
