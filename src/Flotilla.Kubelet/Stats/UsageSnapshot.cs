using Flotilla.Kubelet.Runtime;

namespace Flotilla.Kubelet.Stats;

/// <summary>One container's usage with what it is (upstream's ContainerStats: the name and start time beside the readings).</summary>
public sealed record ContainerUsageOf(string Name, DateTimeOffset StartTime, ContainerUsage Usage);

/// <summary>One pod's running containers and their usage (upstream's PodStats).</summary>
public sealed record PodUsage(string Namespace, string Name, string Uid, DateTimeOffset StartTime, IReadOnlyList<ContainerUsageOf> Containers)
{
    public ulong CpuCoreNanoSeconds => Containers.Aggregate(0UL, (sum, c) => sum + c.Usage.CpuCoreNanoSeconds);

    public ulong MemoryWorkingSetBytes => Containers.Aggregate(0UL, (sum, c) => sum + c.Usage.MemoryWorkingSetBytes);

    public DateTimeOffset Time => Containers.Count == 0 ? StartTime : Containers.Max(c => c.Usage.Time);
}

/// <summary>
/// What the node and its pods use now, as the kubelet's summary provider puts it together: the runtime's container
/// readings joined to their containers and sandboxes (so each has its pod's namespace, name and UID).
/// </summary>
public sealed record UsageSnapshot(NodeUsage Node, IReadOnlyList<PodUsage> Pods)
{
    public static async Task<UsageSnapshot> CollectAsync(IContainerRuntime runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        var usage = await runtime.ListContainerUsageAsync(cancellationToken);
        var containers = (await runtime.ListContainersAsync(null, cancellationToken)).ToDictionary(c => c.Id, StringComparer.Ordinal);
        var sandboxes = (await runtime.ListPodSandboxesAsync(cancellationToken)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var node = await runtime.NodeUsageAsync(cancellationToken);
        var pods = usage
            .Where(u => containers.TryGetValue(u.Id, out var c) && c.State == ContainerState.Running && sandboxes.ContainsKey(c.SandboxId))
            .GroupBy(u => containers[u.Id].SandboxId)
            .Select(g =>
            {
                var sandbox = sandboxes[g.Key];
                return new PodUsage(
                    sandbox.Config.Namespace,
                    sandbox.Config.Name,
                    sandbox.Config.Uid,
                    sandbox.CreatedAt,
                    [.. g.Select(u => new ContainerUsageOf(containers[u.Id].Name, containers[u.Id].CreatedAt, u)).OrderBy(c => c.Name, StringComparer.Ordinal)]);
            })
            .OrderBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        return new UsageSnapshot(node, pods);
    }
}
