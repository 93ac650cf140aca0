using Flotilla.Client.Events;
using k8s.Models;

namespace Flotilla.Controllers.NodeLifecycle;

/// <summary>The taints: NoSchedule from conditions, NoExecute at each zone's rate, and the zones' states that set it.</summary>
public sealed partial class NodeLifecycleController
{
    /// <summary>Taints due in each zone, at each zone's rate (upstream doNoExecuteTaintingPass).</summary>
    public async Task NoExecuteTaintingAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in _tainters.Values)
        {
            await queue.TryAsync(async name =>
            {
                if (_nodes.Get(name) is not { } node)
                {
                    return (true, TimeSpan.Zero);
                }

                var (add, remove) = NodeHealth.Condition(node, "Ready")?.Status switch
                {
                    "False" => (NodeTaints.NotReady, NodeTaints.Unreachable),
                    "Unknown" => (NodeTaints.Unreachable, NodeTaints.NotReady),
                    "True" => (null, null),
                    _ => ("?", "?"),
                };
                if (add is null)
                {
                    return (true, TimeSpan.Zero);  // ready again meanwhile
                }

                if (add == "?")
                {
                    return (false, TimeSpan.FromMilliseconds(50));
                }

                var done = await NodeTaints.SwapAsync(_client, node, [NodeTaints.NoExecute(add)], [NodeTaints.NoExecute(remove!)], _time.GetUtcNow(), cancellationToken);
                if (done)
                {
                    LogTainted(_log, name, add);
                }

                return (done, TimeSpan.Zero);
            });
        }
    }

    /// <summary>NoSchedule taints as the node's conditions say (upstream doNoScheduleTaintingPass).</summary>
    public async Task NoScheduleTaintingAsync(string name, CancellationToken cancellationToken)
    {
        if (_nodes.Get(name) is not { } node)
        {
            return;
        }

        var wanted = new List<V1Taint>();
        foreach (var condition in node.Status?.Conditions ?? [])
        {
            var key = (condition.Type, condition.Status) switch
            {
                ("Ready", "False") => NodeTaints.NotReady,
                ("Ready", "Unknown") => NodeTaints.Unreachable,
                ("MemoryPressure", "True") => NodeTaints.MemoryPressure,
                ("DiskPressure", "True") => NodeTaints.DiskPressure,
                ("NetworkUnavailable", "True") => NodeTaints.NetworkUnavailable,
                ("PIDPressure", "True") => NodeTaints.PidPressure,
                _ => null,
            };
            if (key is not null)
            {
                wanted.Add(NodeTaints.NoSchedule(key));
            }
        }

        if (node.Spec?.Unschedulable == true)
        {
            wanted.Add(NodeTaints.NoSchedule(NodeTaints.Unschedulable));
        }

        var current = (node.Spec?.Taints ?? []).Where(t => t.Effect == "NoSchedule" && NoScheduleKeys.Contains(t.Key)).ToList();
        var add = wanted.Where(w => !current.Any(c => NodeTaints.Matches(c, w))).ToList();
        var remove = current.Where(c => !wanted.Any(w => NodeTaints.Matches(c, w))).ToList();
        if ((add.Count > 0 || remove.Count > 0) && !await NodeTaints.SwapAsync(_client, node, add, remove, _time.GetUtcNow(), cancellationToken))
        {
            throw new InvalidOperationException($"failed to swap taints of node {name}");
        }
    }

    /// <summary>Upstream processTaintBaseEviction: queue the node for its NoExecute taint, or lift it.</summary>
    private async Task TaintForEvictionAsync(V1Node node, V1NodeCondition observed, CancellationToken cancellationToken)
    {
        switch (observed.Status)
        {
            case "False" or "Unknown":
                var (want, other) = observed.Status == "False" ? (NodeTaints.NotReady, NodeTaints.Unreachable) : (NodeTaints.Unreachable, NodeTaints.NotReady);
                if (NodeTaints.Has(node, NodeTaints.NoExecute(other)))
                {
                    // Already tainted the other way: swap at once, not at the eviction rate.
                    await NodeTaints.SwapAsync(_client, node, [NodeTaints.NoExecute(want)], [NodeTaints.NoExecute(other)], _time.GetUtcNow(), cancellationToken);
                    return;
                }

                var queue = Tainter(node);
                if (!NodeTaints.Has(node, NodeTaints.NoExecute(want)))
                {
                    queue.Remove(node.Metadata.Name);
                }

                queue.Add(node.Metadata.Name);
                return;
            case "True":
                await MarkReachableAsync(node, cancellationToken);
                return;
        }
    }

    private async Task MarkReachableAsync(V1Node node, CancellationToken cancellationToken)
    {
        if (await NodeTaints.SwapAsync(_client, node, [], [NodeTaints.NoExecute(NodeTaints.Unreachable), NodeTaints.NoExecute(NodeTaints.NotReady)], _time.GetUtcNow(), cancellationToken))
        {
            Tainter(node).Remove(node.Metadata.Name);
        }
    }

    /// <summary>Upstream handleDisruption: zone states, their tainting rates, and the all-nodes-down mode.</summary>
    private async Task HandleDisruptionAsync(Dictionary<string, List<V1NodeCondition?>> zones, IReadOnlyList<V1Node> nodes, CancellationToken cancellationToken)
    {
        var newStates = zones.ToDictionary(z => z.Key, z => Zones.State(z.Value, _options.UnhealthyZoneThreshold), StringComparer.Ordinal);
        var allAreFully = newStates.Values.All(s => s == Zones.FullDisruption);
        foreach (var zone in zones.Keys)
        {
            _zoneStates.TryAdd(zone, Zones.Initial);
        }

        foreach (var stale in _zoneStates.Keys.Where(k => !zones.ContainsKey(k)).ToList())
        {
            _zoneStates.Remove(stale);
        }

        var allWereFully = _zoneStates.Values.All(s => s == Zones.FullDisruption);
        if (allAreFully && allWereFully)
        {
            return;
        }

        if (allAreFully)
        {
            LogMasterDisruption(_log, entering: true);
            foreach (var node in nodes)
            {
                await MarkReachableAsync(node, cancellationToken);
            }

            foreach (var zone in _zoneStates.Keys.ToList())
            {
                Tainter(zone).SwapLimiter(0);
                _zoneStates[zone] = Zones.FullDisruption;
            }

            return;
        }

        if (allWereFully)
        {
            LogMasterDisruption(_log, entering: false);
            _health.ResetProbes(nodes.Select(n => n.Metadata.Name), _time.GetUtcNow());
            foreach (var zone in _zoneStates.Keys.ToList())
            {
                SetZoneRate(zone, zones[zone].Count, newStates[zone]);
                _zoneStates[zone] = newStates[zone];
            }

            return;
        }

        foreach (var zone in _zoneStates.Keys.ToList())
        {
            if (_zoneStates[zone] != newStates[zone])
            {
                LogZoneState(_log, zone, newStates[zone]);
                SetZoneRate(zone, zones[zone].Count, newStates[zone]);
                _zoneStates[zone] = newStates[zone];
            }
        }
    }

    private void SetZoneRate(string zone, int size, string state)
    {
        var rate = state switch
        {
            Zones.Normal or Zones.FullDisruption => _options.NodeEvictionRate,
            Zones.PartialDisruption => size > _options.LargeClusterSizeThreshold ? _options.SecondaryNodeEvictionRate : 0,
            _ => (double?)null,
        };
        if (rate is { } perSecond)
        {
            Tainter(zone).SwapLimiter(perSecond);
        }
    }

    private RateLimitedTimedQueue Tainter(V1Node node) => Tainter(Zones.Key(node));

    private RateLimitedTimedQueue Tainter(string zone) => _tainters.GetOrAdd(zone, _ => new RateLimitedTimedQueue(_options.NodeEvictionRate, _time));
}
