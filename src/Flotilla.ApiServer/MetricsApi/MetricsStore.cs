namespace Flotilla.ApiServer.MetricsApi;

/// <summary>
/// The last two readings of every node and container, as metrics-server keeps them: a new reading pushes the last
/// one back; a container that restarted since keeps none (its CPU counter began again), unless it is young enough
/// that its start serves as the reading before (10 s up to one resolution old, CPU 0 at start). A node's scrape
/// replaces what is known of its pods, so pods that went away go with it.
/// </summary>
public sealed class MetricsStore(TimeSpan resolution)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (MetricsPoint? Previous, MetricsPoint Last)> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<(string Namespace, string Pod, string Container), (MetricsPoint? Previous, MetricsPoint Last)>> _containers = new(StringComparer.Ordinal);

    // Which node last reported each pod, so a pod's readings are found without a scan (top pod -A asks for every pod).
    private readonly Dictionary<(string Namespace, string Pod), string> _podNodes = [];

    public TimeSpan Resolution => resolution;

    /// <summary>A node's scrape: its own reading and its containers'.</summary>
    public void Store(string node, ResourceMetricsParser.Result scrape)
    {
        ArgumentNullException.ThrowIfNull(scrape);
        lock (_lock)
        {
            if (scrape.Node is { } point)
            {
                _nodes[node] = _nodes.TryGetValue(node, out var known) ? Advance(known, point) : (null, point);
            }

            var before = _containers.GetValueOrDefault(node) ?? [];
            var now = new Dictionary<(string, string, string), (MetricsPoint?, MetricsPoint)>();
            foreach (var (key, last) in scrape.Containers)
            {
                // metrics-server drops readings of nothing (a container with no CPU or memory yet).
                if (last.CumulativeCpuNanoSeconds == 0 || last.MemoryBytes == 0)
                {
                    continue;
                }

                if (before.TryGetValue(key, out var known) && !(last.StartTime > known.Last.Timestamp))
                {
                    now[key] = Advance(known, last);
                }
                else
                {
                    now[key] = (Fresh(last), last);
                }
            }

            foreach (var (ns, pod, _) in before.Keys)
            {
                if (_podNodes.TryGetValue((ns, pod), out var at) && at == node)
                {
                    _podNodes.Remove((ns, pod));
                }
            }

            foreach (var (ns, pod, _) in now.Keys)
            {
                _podNodes[(ns, pod)] = node;
            }

            _containers[node] = now;
        }
    }

    /// <summary>Forgets nodes that are gone.</summary>
    public void Retain(IReadOnlySet<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_lock)
        {
            foreach (var gone in _nodes.Keys.Concat(_containers.Keys).Where(n => !nodes.Contains(n)).ToList())
            {
                _nodes.Remove(gone);
                _containers.Remove(gone);
                foreach (var pod in _podNodes.Where(p => p.Value == gone).Select(p => p.Key).ToList())
                {
                    _podNodes.Remove(pod);
                }
            }
        }
    }

    public MetricsUsage? Node(string name)
    {
        lock (_lock)
        {
            return _nodes.TryGetValue(name, out var n) && n.Previous is { } previous ? MetricsUsage.Between(previous, n.Last) : null;
        }
    }

    /// <summary>A pod's containers' usage; null unless every container has two comparable readings.</summary>
    public IReadOnlyList<(string Container, MetricsUsage Usage)>? Pod(string ns, string name)
    {
        lock (_lock)
        {
            if (!_podNodes.TryGetValue((ns, name), out var node))
            {
                return null;
            }

            var containers = _containers[node]
                .Where(c => c.Key.Namespace == ns && c.Key.Pod == name)
                .OrderBy(c => c.Key.Container, StringComparer.Ordinal)
                .ToList();
            if (containers.Count == 0)
            {
                return null;
            }

            var usage = new List<(string, MetricsUsage)>();
            foreach (var (key, (previous, last)) in containers)
            {
                if (previous is null || MetricsUsage.Between(previous, last) is not { } u)
                {
                    return null;
                }

                usage.Add((key.Container, u));
            }

            return usage;
        }
    }

    /// <summary>The pods (namespace and name) any node reported.</summary>
    public IReadOnlyList<(string Namespace, string Pod)> Pods()
    {
        lock (_lock)
        {
            return [.. _podNodes.Keys];
        }
    }

    private static (MetricsPoint? Previous, MetricsPoint Last) Advance((MetricsPoint? Previous, MetricsPoint Last) known, MetricsPoint point) =>
        point.Timestamp > known.Last.Timestamp ? (known.Last, point) : known;

    /// <summary>A young container's start as its reading before: CPU 0 then (metrics-server's shortcut).</summary>
    private MetricsPoint? Fresh(MetricsPoint last) =>
        last.StartTime is { } start && start < last.Timestamp && last.Timestamp - start >= TimeSpan.FromSeconds(10) && last.Timestamp - start < resolution
            ? new MetricsPoint(start, 0, 0, start)
            : null;
}
