using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Plugins.NodeResourcesFit;

/// <summary>The pod's non-zero requests, in the order of the scored resources.</summary>
internal sealed class PreScoreState(long[] podRequests) : IStateData
{
    public long[] PodRequests { get; } = podRequests;

    public IStateData Clone() => this;
}
