namespace Flotilla.Kubelet.Runtime;

/// <summary>CRI ContainerStats, the parts resource metrics use: cumulative CPU time and the working set, read at <paramref name="Time"/>.</summary>
/// <param name="WritableLayerBytes">The container's own writes to its root filesystem, when the runtime knows them.</param>
public sealed record ContainerUsage(string Id, DateTimeOffset Time, ulong CpuCoreNanoSeconds, ulong MemoryWorkingSetBytes, ulong? WritableLayerBytes = null);

/// <summary>The node's own readings (upstream's cAdvisor root container): CPU, memory, the kubelet's filesystem and the image filesystem.</summary>
public sealed record NodeUsage(DateTimeOffset Time, ulong CpuCoreNanoSeconds, ulong MemoryWorkingSetBytes, ulong MemoryAvailableBytes, FsUsage NodeFs, FsUsage ImageFs);

/// <summary>A filesystem's size and what is free on it (inodes when known).</summary>
public sealed record FsUsage(ulong CapacityBytes, ulong AvailableBytes, ulong UsedBytes, ulong? Inodes = null, ulong? InodesFree = null);
