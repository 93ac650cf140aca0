using k8s.Models;

namespace Flotilla.Kubelet.Server;

/// <summary>
/// Which container instance a log request reads, from the pod's status (upstream's validateContainerLogStatus): the
/// running one, the last terminated one, or with <c>previous</c> the one before; otherwise why there is no log yet.
/// </summary>
public static class ContainerLogStatus
{
    /// <returns>The container ID (<c>runtime://id</c>), or the message the kubelet answers with (400).</returns>
    public static (string? ContainerId, string? Error) Validate(V1Pod pod, string container, bool previous)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var podName = pod.Metadata.Name;
        var status = (pod.Status?.ContainerStatuses ?? []).FirstOrDefault(c => c.Name == container)
            ?? (pod.Status?.InitContainerStatuses ?? []).FirstOrDefault(c => c.Name == container)
            ?? (pod.Status?.EphemeralContainerStatuses ?? []).FirstOrDefault(c => c.Name == container);
        if (status is null)
        {
            return (null, $"container \"{container}\" in pod \"{podName}\" is not available");
        }

        var last = status.LastState?.Terminated;
        var state = status.State;
        if (previous)
        {
            return last is { ContainerID.Length: > 0 }
                ? (last.ContainerID, null)
                : (null, $"previous terminated container \"{container}\" in pod \"{podName}\" not found");
        }

        if (state?.Running is not null)
        {
            return (status.ContainerID, null);
        }

        if (state?.Terminated is { } terminated)
        {
            // When the next instance did not start, the terminated state has no ID: the last one's log is read.
            return terminated.ContainerID is { Length: > 0 } id ? (id, null)
                : last is { ContainerID.Length: > 0 } ? (last.ContainerID, null)
                : (null, $"container \"{container}\" in pod \"{podName}\" is terminated");
        }

        if (last is not null)
        {
            return last.ContainerID is { Length: > 0 } ? (last.ContainerID, null) : (null, $"container \"{container}\" in pod \"{podName}\" is terminated");
        }

        if (state?.Waiting is { } waiting)
        {
            return (null, waiting.Reason switch
            {
                "ErrImagePull" => $"container \"{container}\" in pod \"{podName}\" is waiting to start: image can't be pulled",
                "ImagePullBackOff" => $"container \"{container}\" in pod \"{podName}\" is waiting to start: trying and failing to pull image",
                var reason => $"container \"{container}\" in pod \"{podName}\" is waiting to start: {reason}",
            });
        }

        return (null, $"container \"{container}\" in pod \"{podName}\" is waiting to start - no logs yet");
    }
}
