namespace Flotilla.Kubelet.Logs;

/// <summary>What a log request asks for (upstream's PodLogOptions as the kubelet applies them).</summary>
/// <param name="TailLines">Only the last N lines; null for all.</param>
/// <param name="LimitBytes">Stop after this many bytes of output; null for no limit.</param>
/// <param name="SinceTime">Only lines at or after this time (sinceSeconds is turned into it).</param>
/// <param name="Timestamps">Each line prefixed with its RFC 3339 time.</param>
public sealed record ContainerLogOptions(
    bool Follow = false,
    long? TailLines = null,
    long? LimitBytes = null,
    DateTimeOffset? SinceTime = null,
    bool Timestamps = false);
