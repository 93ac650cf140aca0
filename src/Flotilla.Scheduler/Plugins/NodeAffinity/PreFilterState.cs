using Flotilla.Api.Selectors;
using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Plugins.NodeAffinity;

/// <summary>The pod's parsed nodeSelector and required node affinity; other pods do not change it.</summary>
internal sealed class PreFilterState(RequiredNodeAffinity required) : IStateData
{
    public RequiredNodeAffinity Required { get; } = required;

    public IStateData Clone() => this;
}
