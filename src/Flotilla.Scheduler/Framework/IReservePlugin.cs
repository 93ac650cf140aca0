using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Claims resources for the pod on the chosen node; Unreserve gives them back when a later step fails.</summary>
public interface IReservePlugin : IPlugin
{
    Status Reserve(CycleState state, V1Pod pod, string nodeName);

    void Unreserve(CycleState state, V1Pod pod, string nodeName);
}
