using Flotilla.Api.Selectors;
using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Plugins.NodeAffinity;

/// <summary>The pod's preferred node affinity terms, parsed, with their weights.</summary>
internal sealed class PreScoreState(IReadOnlyList<(NodeSelectorTerm Term, int Weight)> preferred) : IStateData
{
    public IReadOnlyList<(NodeSelectorTerm Term, int Weight)> Preferred { get; } = preferred;

    public IStateData Clone() => this;
}
