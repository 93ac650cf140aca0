using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Ranks a feasible node; scores are normalised to 0-<see cref="MaxNodeScore"/> and weighted by the profile.</summary>
public interface IScorePlugin : IPlugin
{
    public const long MaxNodeScore = 100;

    (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node);

    /// <summary>Rescales this plugin's raw scores in place to 0-100; plugins already in range do nothing.</summary>
    Status NormalizeScore(CycleState state, V1Pod pod, NodeScore[] scores) => Status.Success;
}
