namespace Flotilla.Kubelet.Runtime.Hollow;

/// <summary>What hollow containers and nodes "use": simulated figures, so the metrics pipeline and image GC have readings to work on.</summary>
public sealed partial class HollowRuntime
{
    /// <summary>The simulated disk (both filesystems); half full unless a test fills it.</summary>
    public FsUsage Disk { get; set; } = new(SimulatedDisk, SimulatedDisk / 2, SimulatedDisk / 2, 1_000_000, 500_000);

    /// <summary>Simulated: a running hollow container uses one millicore and one MiB (nothing runs, but the metrics pipeline has figures to carry).</summary>
    public Task<IReadOnlyList<ContainerUsage>> ListContainerUsageAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var usage = new List<ContainerUsage>();
        foreach (var c in _containers.Values)
        {
            lock (c)
            {
                if (c.State == ContainerState.Running && c.StartedAt is { } started)
                {
                    usage.Add(new ContainerUsage(c.Id, now, (ulong)Math.Max(0, (now - started).Ticks) * 100 / 1000, SimulatedWorkingSet));
                }
            }
        }

        return Task.FromResult<IReadOnlyList<ContainerUsage>>(usage);
    }

    /// <summary>Simulated: the node uses what its containers do, on a roomy disk.</summary>
    public async Task<NodeUsage> NodeUsageAsync(CancellationToken cancellationToken)
    {
        var containers = await ListContainerUsageAsync(cancellationToken);
        var cpu = containers.Aggregate(0UL, (sum, c) => sum + c.CpuCoreNanoSeconds);
        var memory = containers.Aggregate(SimulatedWorkingSet, (sum, c) => sum + c.MemoryWorkingSetBytes);
        return new NodeUsage(time.GetUtcNow(), cpu, memory, SimulatedMemory - Math.Min(SimulatedMemory, memory), Disk, Disk);
    }

    private const ulong SimulatedWorkingSet = 1 << 20;
    private const ulong SimulatedMemory = 32UL << 30;
    private const ulong SimulatedDisk = 100UL << 30;
}
