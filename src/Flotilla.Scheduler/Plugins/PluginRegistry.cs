using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Plugins;

/// <summary>
/// Every built-in plugin by name, and kube-scheduler v1.32's default profile: its plugins in upstream's order (the
/// order Filter runs them, which decides the reason a node reports) with upstream's score weights.
/// </summary>
public static class PluginRegistry
{
    public static IReadOnlyDictionary<string, Func<IFrameworkHandle, IPlugin>> Factories { get; } = new Dictionary<string, Func<IFrameworkHandle, IPlugin>>(StringComparer.Ordinal)
    {
        [DefaultBinder.DefaultBinder.PluginName] = h => new DefaultBinder.DefaultBinder(h),
    };

    /// <summary>(plugin, score weight) in upstream's default order.</summary>
    public static IReadOnlyList<(string Name, int Weight)> Default { get; } =
    [
        (DefaultBinder.DefaultBinder.PluginName, 0),
    ];

    public static IEnumerable<(Func<IFrameworkHandle, IPlugin> Factory, int Weight)> DefaultProfile =>
        Default.Select(p => (Factories[p.Name], p.Weight));
}
