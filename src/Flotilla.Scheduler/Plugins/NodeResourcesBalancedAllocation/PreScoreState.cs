using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Plugins.NodeResourcesBalancedAllocation;

/// <summary>The pod's requests, in the order of the balanced resources.</summary>
internal sealed class PreScoreState(long[] podRequests) : IStateData
{
    public long[] PodRequests { get; } = podRequests;

    public IStateData Clone() => this;
}
