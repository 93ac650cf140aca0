using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Runs when no node fits (preemption): may make room and nominate a node.</summary>
public interface IPostFilterPlugin : IPlugin
{
    Task<(PostFilterResult? Result, Status Status)> PostFilterAsync(CycleState state, V1Pod pod, NodeToStatus filtered, CancellationToken cancellationToken);
}
