using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Binds the pod to the node; Skip hands over to the next binder.</summary>
public interface IBindPlugin : IPlugin
{
    Task<Status> BindAsync(CycleState state, V1Pod pod, string nodeName, CancellationToken cancellationToken);
}
