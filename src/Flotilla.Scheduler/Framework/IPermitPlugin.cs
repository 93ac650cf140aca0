using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Approves, rejects or holds (Wait, up to the timeout) the pod before it is bound.</summary>
public interface IPermitPlugin : IPlugin
{
    (Status Status, TimeSpan Timeout) Permit(CycleState state, V1Pod pod, string nodeName);
}
