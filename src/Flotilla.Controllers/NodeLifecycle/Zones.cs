using k8s.Models;

namespace Flotilla.Controllers.NodeLifecycle;

/// <summary>
/// Failure zones and how healthy each is (upstream GetZoneKey and ComputeZoneState): nodes without zone labels share
/// one zone; a zone with no Ready node is fully disrupted, one with more than two and at least the unhealthy share
/// not Ready is partially disrupted.
/// </summary>
public static class Zones
{
    public const string Initial = "Initial";
    public const string Normal = "Normal";
    public const string PartialDisruption = "PartialDisruption";
    public const string FullDisruption = "FullDisruption";

    /// <summary>Nodes with this label are left out of their zone's counts.</summary>
    public const string ExcludeDisruptionLabel = "node.kubernetes.io/exclude-disruption";

    public static string Key(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var labels = node.Metadata.Labels;
        if (labels is null)
        {
            return string.Empty;
        }

        var zone = labels.TryGetValue("failure-domain.beta.kubernetes.io/zone", out var beta) ? beta : labels.TryGetValue("topology.kubernetes.io/zone", out var z) ? z : string.Empty;
        var region = labels.TryGetValue("failure-domain.beta.kubernetes.io/region", out var betaRegion) ? betaRegion : labels.TryGetValue("topology.kubernetes.io/region", out var r) ? r : string.Empty;
        return region.Length == 0 && zone.Length == 0 ? string.Empty : region + ":\0:" + zone;
    }

    /// <param name="ready">Each node's Ready condition (null when it has none, which counts as not Ready).</param>
    public static string State(IReadOnlyCollection<V1NodeCondition?> ready, double unhealthyThreshold)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var readyCount = ready.Count(c => c?.Status == "True");
        var notReady = ready.Count - readyCount;
        if (readyCount == 0 && notReady > 0)
        {
            return FullDisruption;
        }

        return notReady > 2 && (double)notReady / ready.Count >= unhealthyThreshold ? PartialDisruption : Normal;
    }
}
