using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodePorts;

/// <summary>The pod's container ports that claim a host port; adding or removing other pods does not change it.</summary>
internal sealed class PreFilterState(IReadOnlyList<V1ContainerPort> hostPorts) : IStateData
{
    public IReadOnlyList<V1ContainerPort> HostPorts { get; } = hostPorts;

    public IStateData Clone() => this;
}
