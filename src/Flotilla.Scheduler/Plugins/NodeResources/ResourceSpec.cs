using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Plugins.NodeResources;

/// <summary>A resource a node-resources scoring strategy weighs (upstream config.ResourceSpec).</summary>
public sealed record ResourceSpec(string Name, long Weight)
{
    /// <summary>The default profile's: CPU and memory, weight 1 each.</summary>
    public static IReadOnlyList<ResourceSpec> Default { get; } = [new(ResourceNames.Cpu, 1), new(ResourceNames.Memory, 1)];
}
