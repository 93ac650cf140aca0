using Flotilla.Kubelet.Runtime;

namespace Flotilla.Kubelet.Node;

/// <summary>
/// Memory and disk pressure from the node's readings, as upstream's eviction manager judges them with its default
/// hard thresholds (<c>memory.available&lt;100Mi</c>, <c>nodefs.available&lt;10%</c>, <c>nodefs.inodesFree&lt;5%</c>,
/// <c>imagefs.available&lt;15%</c>): a pressure stays on until no threshold was met for the transition period
/// (<c>evictionPressureTransitionPeriod</c>, 5 min), so a node does not flap.
/// </summary>
public sealed class NodePressure(TimeSpan transitionPeriod)
{
    public const ulong MemoryAvailableMin = 100UL << 20;

    public static readonly TimeSpan DefaultTransitionPeriod = TimeSpan.FromMinutes(5);

    private DateTimeOffset? _memoryMet;
    private DateTimeOffset? _diskMet;

    public NodePressure()
        : this(DefaultTransitionPeriod)
    {
    }

    public bool Memory { get; private set; }

    public bool Disk { get; private set; }

    public void Observe(NodeUsage usage, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (usage.MemoryAvailableBytes < MemoryAvailableMin)
        {
            _memoryMet = now;
        }

        if (Below(usage.NodeFs.AvailableBytes, usage.NodeFs.CapacityBytes, 0.10)
            || (usage.NodeFs is { Inodes: { } inodes, InodesFree: { } free } && Below(free, inodes, 0.05))
            || Below(usage.ImageFs.AvailableBytes, usage.ImageFs.CapacityBytes, 0.15))
        {
            _diskMet = now;
        }

        Memory = _memoryMet is { } m && now - m < transitionPeriod;
        Disk = _diskMet is { } d && now - d < transitionPeriod;
    }

    private static bool Below(ulong available, ulong capacity, double fraction) => capacity > 0 && available < capacity * fraction;
}
