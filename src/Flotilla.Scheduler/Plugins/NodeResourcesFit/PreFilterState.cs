using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Plugins.NodeResourcesFit;

/// <summary>The pod's requests (init containers at their peak, sidecars and overhead included).</summary>
internal sealed class PreFilterState(Resource requests) : IStateData
{
    public Resource Requests { get; } = requests;

    public IStateData Clone() => this;
}
