namespace Flotilla.Kubelet.Runtime;

/// <summary>
/// What the kubelet asks of a container runtime, shaped after the CRI's RuntimeService and ImageService (the real
/// runtime, #9, speaks CRI to containerd; the hollow one simulates). This step has the node-level calls; the pod
/// sandbox and container calls come with the pod workers.
/// </summary>
public interface IContainerRuntime
{
    /// <summary>CRI Version: the runtime's name and version, as the Node's <c>containerRuntimeVersion</c> shows them (<c>name://version</c>).</summary>
    Task<RuntimeVersion> VersionAsync(CancellationToken cancellationToken);

    /// <summary>CRI Status: whether the runtime and its network are ready, and why not.</summary>
    Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken);

    /// <summary>CRI ListImages: the images the node holds, for the Node's <c>status.images</c>.</summary>
    Task<IReadOnlyList<RuntimeImage>> ListImagesAsync(CancellationToken cancellationToken);
}

public sealed record RuntimeVersion(string Name, string Version)
{
    public override string ToString() => $"{Name}://{Version}";
}

/// <param name="Ready">The CRI's RuntimeReady condition.</param>
/// <param name="NetworkReady">The CRI's NetworkReady condition.</param>
/// <param name="Reason">Why not, when not: e.g. <c>NetworkPluginNotReady</c>.</param>
public sealed record RuntimeStatus(bool Ready, bool NetworkReady, string? Reason = null, string? Message = null);

/// <param name="Names">Repository tags and digests the image is known by.</param>
public sealed record RuntimeImage(IReadOnlyList<string> Names, long SizeBytes);
