using System.Collections.Concurrent;
using k8s.Models;

namespace Flotilla.Controllers.NodeLifecycle;

/// <summary>
/// When the controller last heard from each node (upstream nodeHealthMap and tryUpdateNodeHealth): a new heartbeat
/// in the node's Ready condition or a renewal of its Lease in <c>kube-node-lease</c>, measured on this controller's
/// clock (never the kubelet's). A node silent for longer than the grace period has its Ready and pressure
/// conditions turned Unknown.
/// </summary>
public sealed class NodeHealth(TimeSpan gracePeriod, TimeSpan startupGracePeriod)
{
    public const string StoppedPosting = "Kubelet stopped posting node status.";
    public const string NeverPosted = "Kubelet never posted node status.";

    private static readonly string[] Watched = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// Brings the record of <paramref name="node"/> up to date, and when it has been silent too long changes its
    /// conditions in place (<paramref name="node"/> must be the caller's copy).
    /// </summary>
    /// <returns>
    /// The Ready condition as the node had it (a made-up Unknown one for a node that never posted), the Ready
    /// condition now (null if none), and whether the status must be written.
    /// </returns>
    public (V1NodeCondition Observed, V1NodeCondition? Current, bool Changed) Observe(V1Node node, V1Lease? lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = node.Metadata.Name;
        var created = node.Metadata.CreationTimestamp ?? now.UtcDateTime;
        _entries.TryGetValue(name, out var entry);
        var current = Condition(node, "Ready");
        V1NodeCondition observed;
        TimeSpan grace;
        if (current is null)
        {
            observed = new V1NodeCondition { Type = "Ready", Status = "Unknown", LastHeartbeatTime = created, LastTransitionTime = created };
            grace = startupGracePeriod;
            entry = entry is null ? new Entry(Utc(created), null, null) : entry with { Ready = null };
        }
        else
        {
            observed = Copy(current);
            grace = gracePeriod;
            if (entry?.Ready is null || entry.Ready.LastHeartbeatTime != current.LastHeartbeatTime)
            {
                entry = new Entry(now, Copy(current), null);
            }
        }

        // The kubelet renews its Lease every 10 s and posts status only on change: either counts.
        if (lease?.Spec?.RenewTime is { } renewed && (entry.LeaseRenewed is null || entry.LeaseRenewed < renewed))
        {
            entry = entry with { LeaseRenewed = renewed, Probe = now };
        }

        var changed = false;
        if (now > entry.Probe + grace)
        {
            var stamp = Api.Timestamps.Of(now);
            node.Status ??= new V1NodeStatus();
            node.Status.Conditions ??= [];
            foreach (var type in Watched)
            {
                var condition = Condition(node, type);
                if (condition is null)
                {
                    node.Status.Conditions.Add(new V1NodeCondition { Type = type, Status = "Unknown", Reason = "NodeStatusNeverUpdated", Message = NeverPosted, LastHeartbeatTime = created, LastTransitionTime = stamp });
                }
                else if (condition.Status != "Unknown")
                {
                    condition.Status = "Unknown";
                    condition.Reason = "NodeStatusUnknown";
                    condition.Message = StoppedPosting;
                    condition.LastTransitionTime = stamp;
                }
            }

            current = Condition(node, "Ready");
            changed = !Same(current!, observed);
        }

        _entries[name] = entry;
        return (observed, current, changed);
    }

    /// <summary>Records a status this controller wrote, so its own write does not count as a heartbeat.</summary>
    public void Written(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_entries.TryGetValue(node.Metadata.Name, out var entry) && Condition(node, "Ready") is { } ready)
        {
            _entries[node.Metadata.Name] = entry with { Ready = Copy(ready) };
        }
    }

    /// <summary>Every node heard from now: after the whole cluster went silent, nobody is blamed for it.</summary>
    public void ResetProbes(IEnumerable<string> names, DateTimeOffset now)
    {
        foreach (var name in names)
        {
            if (_entries.TryGetValue(name, out var entry))
            {
                _entries[name] = entry with { Probe = now };
            }
        }
    }

    public void Forget(string name) => _entries.TryRemove(name, out _);

    public static V1NodeCondition? Condition(V1Node node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static V1NodeCondition Copy(V1NodeCondition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        LastHeartbeatTime = c.LastHeartbeatTime,
        LastTransitionTime = c.LastTransitionTime,
    };

    private static bool Same(V1NodeCondition a, V1NodeCondition b) =>
        a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message && a.LastHeartbeatTime == b.LastHeartbeatTime && a.LastTransitionTime == b.LastTransitionTime;

    private sealed record Entry(DateTimeOffset Probe, V1NodeCondition? Ready, DateTime? LeaseRenewed);
}
