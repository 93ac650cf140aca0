using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Queue;

/// <summary>Builds the registry the queue moves pods by (upstream's event-to-plugin map, filled from EnqueueExtensions).</summary>
public static class PluginEvents
{
    /// <summary>Each plugin that implements <see cref="IEnqueueExtensions"/> with the events it registered; the others are left out, so the queue takes them to care about every event.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> From(IEnumerable<IPlugin> plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        var events = new Dictionary<string, IReadOnlyList<ClusterEvent>>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            if (plugin is IEnqueueExtensions extensions)
            {
                events[plugin.Name] = extensions.EventsToRegister();
            }
        }

        return events;
    }
}
