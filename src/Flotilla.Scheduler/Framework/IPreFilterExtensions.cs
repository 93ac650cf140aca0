using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Keeps a PreFilter's state right while preemption removes (victims) or adds (nominated) pods on a node.</summary>
public interface IPreFilterExtensions
{
    Status AddPod(CycleState state, V1Pod podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status RemovePod(CycleState state, V1Pod podToSchedule, PodInfo podToRemove, NodeInfo node);
}
