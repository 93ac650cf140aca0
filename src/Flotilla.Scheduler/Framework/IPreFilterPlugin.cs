using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Runs once per cycle before Filter: computes what Filter needs, may reject the pod or narrow the nodes.</summary>
public interface IPreFilterPlugin : IPlugin
{
    (PreFilterResult? Result, Status Status) PreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes);

    /// <summary>Updates the PreFilter state when preemption simulates adding or removing a pod; null when not needed.</summary>
    IPreFilterExtensions? Extensions => null;
}
