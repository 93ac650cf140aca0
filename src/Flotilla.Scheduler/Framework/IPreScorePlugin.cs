using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Runs once per cycle before Score with the nodes that passed Filter.</summary>
public interface IPreScorePlugin : IPlugin
{
    Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes);
}
