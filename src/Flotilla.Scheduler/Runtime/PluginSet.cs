using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Runtime;

/// <summary>A profile's plugins sorted by extension point, in the profile's order.</summary>
public sealed class PluginSet
{
    public PluginSet(IEnumerable<(IPlugin Plugin, int Weight)> plugins)
    {
        var list = plugins.ToList();
        All = [.. list.Select(p => p.Plugin)];
        PreFilter = [.. All.OfType<IPreFilterPlugin>()];
        Filter = [.. All.OfType<IFilterPlugin>()];
        PostFilter = [.. All.OfType<IPostFilterPlugin>()];
        PreScore = [.. All.OfType<IPreScorePlugin>()];
        Score = [.. list.Where(p => p.Plugin is IScorePlugin && p.Weight > 0).Select(p => new ScoredPlugin((IScorePlugin)p.Plugin, p.Weight))];
        Reserve = [.. All.OfType<IReservePlugin>()];
        Permit = [.. All.OfType<IPermitPlugin>()];
        PreBind = [.. All.OfType<IPreBindPlugin>()];
        Bind = [.. All.OfType<IBindPlugin>()];
    }

    public IReadOnlyList<IPlugin> All { get; }

    public IReadOnlyList<IPreFilterPlugin> PreFilter { get; }

    /// <summary>An array, not a list interface: Filter runs for every node and must not allocate an enumerator.</summary>
    public IFilterPlugin[] Filter { get; }

    public IReadOnlyList<IPostFilterPlugin> PostFilter { get; }

    public IReadOnlyList<IPreScorePlugin> PreScore { get; }

    public IReadOnlyList<ScoredPlugin> Score { get; }

    public IReadOnlyList<IReservePlugin> Reserve { get; }

    public IReadOnlyList<IPermitPlugin> Permit { get; }

    public IReadOnlyList<IPreBindPlugin> PreBind { get; }

    public IReadOnlyList<IBindPlugin> Bind { get; }
}
