using Flotilla.Kubelet.Logs;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Status;

/// <summary>
/// <c>terminationMessagePolicy: FallbackToLogsOnError</c>: a container that failed (not for ContainerCannotRun)
/// without writing a termination message reports the end of its log instead — at most 80 lines and 2 KiB (upstream's
/// MaxContainerTerminationMessageLogLines and MaxContainerTerminationMessageLogLength).
/// </summary>
public static class TerminationMessages
{
    public const int LogLines = 80;
    public const int LogBytes = 2048;

    public static async Task<IReadOnlyList<ContainerStatus>> WithLogFallbackAsync(V1Pod pod, IReadOnlyList<ContainerStatus> containers, IContainerRuntime runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(containers);
        ArgumentNullException.ThrowIfNull(runtime);
        var fallback = (pod.Spec.InitContainers ?? []).Concat(pod.Spec.Containers ?? [])
            .Where(c => c.TerminationMessagePolicy == "FallbackToLogsOnError")
            .Select(c => c.Name)
            .ToHashSet(StringComparer.Ordinal);
        if (fallback.Count == 0)
        {
            return containers;
        }

        var result = new List<ContainerStatus>(containers.Count);
        foreach (var c in containers)
        {
            if (c.State == ContainerState.Exited && c.ExitCode != 0 && c.Reason != "ContainerCannotRun" && string.IsNullOrEmpty(c.Message) && fallback.Contains(c.Name))
            {
                await using var log = await runtime.OpenLogAsync(c.Id, cancellationToken);
                result.Add(c with { Message = await ContainerLogReader.TailAsync(log, LogLines, LogBytes, cancellationToken) });
            }
            else
            {
                result.Add(c);
            }
        }

        return result;
    }
}
