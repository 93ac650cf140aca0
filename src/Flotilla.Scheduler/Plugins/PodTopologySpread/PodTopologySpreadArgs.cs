using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>The plugin's options (upstream PodTopologySpreadArgs).</summary>
public sealed record PodTopologySpreadArgs
{
    /// <summary>Constraints for pods without any, under <see cref="PodTopologySpreadDefaulting.List"/>; they define
    /// no label selector, as it is derived from the pod's Services and controller.</summary>
    public IReadOnlyList<V1TopologySpreadConstraint> DefaultConstraints { get; init; } = [];

    public PodTopologySpreadDefaulting DefaultingType { get; init; } = PodTopologySpreadDefaulting.System;
}
