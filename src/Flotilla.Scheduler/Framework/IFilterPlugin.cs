using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Says whether the pod can run on one node. Pure and thread-safe: nodes are filtered in parallel.</summary>
public interface IFilterPlugin : IPlugin
{
    Status Filter(CycleState state, V1Pod pod, NodeInfo node);
}
