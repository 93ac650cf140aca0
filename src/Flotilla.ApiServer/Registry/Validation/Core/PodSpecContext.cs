using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>What the container checks need from the pod spec around them, with upstream's defaults applied.</summary>
public sealed record PodSpecContext(
    IReadOnlyDictionary<string, V1Volume> Volumes,
    IReadOnlySet<string> ClaimNames,
    long GracePeriod,
    string RestartPolicy,
    bool HostUsers);
