using System.Collections.Concurrent;

namespace Flotilla.Scheduler.Framework;

/// <summary>
/// Data plugins share during one pod's scheduling cycle (upstream CycleState): PreFilter computes, Filter and Score
/// read. Plugins that returned Skip at PreFilter/PreScore are recorded so their Filter/Score is not called.
/// </summary>
public sealed class CycleState
{
    // Written by PreFilter/PreScore, read by Filter/Score on every node in parallel: reads take no lock.
    private readonly ConcurrentDictionary<string, IStateData> _data = new(StringComparer.Ordinal);

    public HashSet<string> SkipFilterPlugins { get; private set; } = new(StringComparer.Ordinal);

    public HashSet<string> SkipScorePlugins { get; private set; } = new(StringComparer.Ordinal);

    public void Write(string key, IStateData value) => _data[key] = value;

    public T? Read<T>(string key)
        where T : class, IStateData => _data.GetValueOrDefault(key) as T;

    public CycleState Clone()
    {
        var copy = new CycleState
        {
            SkipFilterPlugins = new HashSet<string>(SkipFilterPlugins, StringComparer.Ordinal),
            SkipScorePlugins = new HashSet<string>(SkipScorePlugins, StringComparer.Ordinal),
        };
        foreach (var (key, value) in _data)
        {
            copy._data[key] = value.Clone();
        }

        return copy;
    }
}
