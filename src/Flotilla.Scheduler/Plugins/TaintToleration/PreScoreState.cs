using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.TaintToleration;

/// <summary>The pod's tolerations that can tolerate PreferNoSchedule taints (that effect, or any effect).</summary>
internal sealed class PreScoreState(IReadOnlyList<V1Toleration> preferNoScheduleTolerations) : IStateData
{
    public IReadOnlyList<V1Toleration> PreferNoScheduleTolerations { get; } = preferNoScheduleTolerations;

    public IStateData Clone() => this;
}
