using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Prepares the node before binding (e.g. binds the pod's volumes); runs in the binding cycle.</summary>
public interface IPreBindPlugin : IPlugin
{
    Task<Status> PreBindAsync(CycleState state, V1Pod pod, string nodeName, CancellationToken cancellationToken);
}
