namespace Flotilla.Kubelet.Runtime;

/// <summary>
/// What the kubelet asks of a container runtime, shaped after the CRI's RuntimeService and ImageService (the real
/// runtime, #9, speaks CRI to containerd; the hollow one simulates): node-level calls, pod sandboxes, containers and
/// images. There are no events: the kubelet relists (its PLEG) to see what changed.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>CRI Version: the runtime's name and version, as the Node's <c>containerRuntimeVersion</c> shows them (<c>name://version</c>).</summary>
    Task<RuntimeVersion> VersionAsync(CancellationToken cancellationToken);

    /// <summary>CRI Status: whether the runtime and its network are ready, and why not.</summary>
    Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken);

    /// <summary>CRI UpdateRuntimeConfig: the node's pod subnet, from which sandboxes get their IPs.</summary>
    Task UpdatePodCidrAsync(string podCidr, CancellationToken cancellationToken);

    /// <summary>CRI ListImages: the images the node holds, for the Node's <c>status.images</c>.</summary>
    Task<IReadOnlyList<RuntimeImage>> ListImagesAsync(CancellationToken cancellationToken);

    /// <summary>CRI ImageStatus: the image's reference (its ID) when the node holds it, else null.</summary>
    Task<string?> ImageStatusAsync(string image, CancellationToken cancellationToken);

    /// <summary>CRI ImageStatus' user: the numeric user the image runs as, or the name when it is not numeric (both null: root, or unknown).</summary>
    Task<(long? Uid, string? Name)> ImageUserAsync(string image, CancellationToken cancellationToken);

    /// <summary>CRI PullImage, with a registry login when given: returns the image's reference (its ID); fails with <see cref="ImagePullException"/>.</summary>
    Task<string> PullImageAsync(string image, RegistryAuth? auth, CancellationToken cancellationToken);

    /// <summary>CRI RemoveImage (image garbage collection); gone already is fine.</summary>
    Task RemoveImageAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>CRI RunPodSandbox: the pod's shared namespaces and network; returns the sandbox ID.</summary>
    Task<string> RunPodSandboxAsync(PodSandboxConfig config, CancellationToken cancellationToken);

    /// <summary>CRI StopPodSandbox: stops every container in it and takes its network down.</summary>
    Task StopPodSandboxAsync(string sandboxId, CancellationToken cancellationToken);

    /// <summary>CRI RemovePodSandbox: removes it and its containers; gone already is fine.</summary>
    Task RemovePodSandboxAsync(string sandboxId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PodSandboxStatus>> ListPodSandboxesAsync(CancellationToken cancellationToken);

    /// <summary>CRI CreateContainer: returns the container ID.</summary>
    Task<string> CreateContainerAsync(string sandboxId, ContainerConfig config, CancellationToken cancellationToken);

    Task StartContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>CRI StopContainer: SIGTERM, then SIGKILL after <paramref name="timeout"/>.</summary>
    Task StopContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken);

    Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>CRI ListContainers (with their statuses), of one sandbox or all.</summary>
    Task<IReadOnlyList<ContainerStatus>> ListContainersAsync(string? sandboxId, CancellationToken cancellationToken);

    /// <summary>
    /// CRI ExecSync: runs a command in a running container and waits for it (probes and hooks). Throws
    /// <see cref="TimeoutException"/> when it outlasts <paramref name="timeout"/> (zero: no limit), and
    /// <see cref="InvalidOperationException"/> when the container is not running.
    /// </summary>
    Task<ExecResult> ExecSyncAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// The container's log, as the kubelet reads the file at the CRI's <c>ContainerStatus.log_path</c>: entries in the
    /// CRI logging format (<see cref="Logs.CriLogLine"/>); a later read returns what was appended since. Throws
    /// <see cref="InvalidOperationException"/> when the container is unknown.
    /// </summary>
    Task<Stream> OpenLogAsync(string containerId, CancellationToken cancellationToken);

    /// <summary>
    /// CRI Exec, Attach and PortForward: the one-time URL on the runtime's streaming server that serves the session
    /// (SPDY, Kubernetes' stream protocols). Throws <see cref="InvalidOperationException"/> when the container or
    /// sandbox cannot serve it, <see cref="NotSupportedException"/> when the runtime runs no processes.
    /// </summary>
    Task<Uri> StreamUrlAsync(StreamRequest request, CancellationToken cancellationToken);

    /// <summary>CRI ListContainerStats: what the running containers use.</summary>
    Task<IReadOnlyList<ContainerUsage>> ListContainerUsageAsync(CancellationToken cancellationToken);

    /// <summary>What the node uses (the host's readings; a hollow node's are simulated), its filesystems with CRI ImageFsInfo's.</summary>
    Task<NodeUsage> NodeUsageAsync(CancellationToken cancellationToken);
}

/// <summary>What a streaming session is for: exec (a command), attach (no command) or port-forward (a sandbox).</summary>
public sealed record StreamRequest(StreamKind Kind, string Id)
{
    public IReadOnlyList<string> Command { get; init; } = [];

    public bool Stdin { get; init; }

    public bool Stdout { get; init; }

    public bool Stderr { get; init; }

    public bool Tty { get; init; }
}

public enum StreamKind
{
    Exec,
    Attach,
    PortForward,
}

public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);

/// <summary>A registry login, as the CRI's AuthConfig carries it to the runtime's pull.</summary>
public sealed record RegistryAuth(string? Username, string? Password, string? IdentityToken = null, string? RegistryToken = null, string? ServerAddress = null);

/// <summary>A pull the registry or the runtime refused: the message is what the user sees in the pod's status and events.</summary>
public sealed class ImagePullException(string message) : Exception(message);

public sealed record RuntimeVersion(string Name, string Version)
{
    public override string ToString() => $"{Name}://{Version}";
}

/// <param name="Ready">The CRI's RuntimeReady condition.</param>
/// <param name="NetworkReady">The CRI's NetworkReady condition.</param>
/// <param name="Reason">Why not, when not: e.g. <c>NetworkPluginNotReady</c>.</param>
public sealed record RuntimeStatus(bool Ready, bool NetworkReady, string? Reason = null, string? Message = null);

/// <param name="Names">Repository tags and digests the image is known by.</param>
/// <param name="Id">The image's ID (what a container's <see cref="ContainerStatus.ImageRef"/> names).</param>
public sealed record RuntimeImage(IReadOnlyList<string> Names, long SizeBytes, string Id = "");

/// <summary>CRI PodSandboxConfig: the pod it is for (its UID ties runtime state back to the API object).</summary>
public sealed record PodSandboxConfig(string Name, string Namespace, string Uid, string Hostname, int Attempt)
{
    /// <summary>The pod's resolv.conf; null leaves the runtime's (the node's).</summary>
    public PodDns? Dns { get; init; }

    public PodNamespaces Namespaces { get; init; } = PodNamespaces.Own;

    /// <summary>The pod's cgroup (by QoS class); null leaves the runtime's.</summary>
    public string? CgroupParent { get; init; }

    public IReadOnlyList<PortMapping> PortMappings { get; init; } = [];
}

public sealed record PodSandboxStatus(string Id, PodSandboxConfig Config, bool Ready, string? Ip, DateTimeOffset CreatedAt);

/// <summary>CRI ContainerConfig, the parts the kubelet fills in so far.</summary>
/// <param name="TerminationMessagePath">Where in the container its termination message is written (the runtime reads it back into <see cref="ContainerStatus.Message"/>).</param>
public sealed record ContainerConfig(string Name, string Image, IReadOnlyList<string> Command, IReadOnlyList<string> Args, int Attempt, string TerminationMessagePath = "/dev/termination-log")
{
    /// <summary>The container's environment, resolved (upstream's makeEnvironmentVariables).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Envs { get; init; } = [];

    /// <summary>Host paths (the pod's volumes) bind-mounted into the container.</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    public string? WorkingDir { get; init; }

    /// <summary>Keep the container's stdin open (for attach); with <see cref="StdinOnce"/>, only until the first attach ends.</summary>
    public bool Stdin { get; init; }

    public bool StdinOnce { get; init; }

    /// <summary>Give the container a terminal.</summary>
    public bool Tty { get; init; }

    /// <summary>The cgroup limits; null leaves the runtime's defaults (hollow nodes).</summary>
    public ContainerResources? Resources { get; init; }

    /// <summary>The user, privileges and confinement; null leaves the runtime's defaults (hollow nodes).</summary>
    public ContainerSecurity? Security { get; init; }
}

/// <summary>CRI Mount: a host path seen at <paramref name="ContainerPath"/> in the container.</summary>
public sealed record ContainerMount(string ContainerPath, string HostPath, bool ReadOnly);

public enum ContainerState
{
    Created,
    Running,
    Exited,
    Unknown,
}

/// <summary>CRI ContainerStatus.</summary>
/// <param name="Reason">For an exited container: <c>Completed</c>, <c>Error</c>, <c>OOMKilled</c>, ...</param>
/// <param name="Message">For an exited container: what it wrote to its termination message path.</param>
public sealed record ContainerStatus(
    string Id,
    string SandboxId,
    string Name,
    int Attempt,
    string Image,
    string ImageRef,
    ContainerState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int ExitCode,
    string? Reason,
    string? Message);
