using System.Globalization;
using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>
/// Upstream's ActivePodsWithRanks (v1.32, LogarithmicScaleDown and PodDeletionCost on): which pods a controller
/// scales down first. Earlier in the order goes first: unscheduled, pending, not ready, cheaper to delete, doubled up
/// on a node with more related pods, ready for less time, restarted more, newer — ages compared in powers of two,
/// so pods of about the same age are picked at random (by UID) rather than always the newest.
/// </summary>
public sealed class DeletionOrder(IReadOnlyDictionary<V1Pod, int> ranks, DateTimeOffset now) : IComparer<V1Pod>
{
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>The first <paramref name="count"/> pods to delete, ranked by how many related pods share their node.</summary>
    public static IReadOnlyList<V1Pod> PodsToDelete(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Pod> related, int count, DateTimeOffset now)
    {
        if (count >= pods.Count)
        {
            return pods;
        }

        var onNode = related.Where(Pods.IsActive).GroupBy(p => p.Spec?.NodeName ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
        var ranks = pods.ToDictionary(p => p, p => onNode.GetValueOrDefault(p.Spec?.NodeName ?? string.Empty), ReferenceEqualityComparer.Instance as IEqualityComparer<V1Pod>);
        return [.. pods.Order(new DeletionOrder(ranks, now)).Take(count)];
    }

    public int Compare(V1Pod? x, V1Pod? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var (nodeX, nodeY) = (x.Spec?.NodeName ?? string.Empty, y.Spec?.NodeName ?? string.Empty);
        if (nodeX != nodeY && (nodeX.Length == 0 || nodeY.Length == 0))
        {
            return nodeX.Length == 0 ? -1 : 1;
        }

        var phase = PhaseOrdinal(x).CompareTo(PhaseOrdinal(y));
        if (phase != 0)
        {
            return phase;
        }

        var (readyX, readyY) = (Pods.IsReady(x), Pods.IsReady(y));
        if (readyX != readyY)
        {
            return readyX ? 1 : -1;
        }

        var cost = DeletionCost(x).CompareTo(DeletionCost(y));
        if (cost != 0)
        {
            return cost;
        }

        var rank = ranks.GetValueOrDefault(y).CompareTo(ranks.GetValueOrDefault(x));
        if (rank != 0)
        {
            return rank;
        }

        if (readyX && readyY)
        {
            var since = CompareTimes(Pods.ReadyCondition(x)?.LastTransitionTime, Pods.ReadyCondition(y)?.LastTransitionTime, x, y);
            if (since != 0)
            {
                return since;
            }
        }

        var (restartsX, sidecarsX) = MaxRestarts(x);
        var (restartsY, sidecarsY) = MaxRestarts(y);
        if (restartsX != restartsY)
        {
            return restartsX > restartsY ? -1 : 1;
        }

        if (sidecarsX != sidecarsY)
        {
            return sidecarsX > sidecarsY ? -1 : 1;
        }

        return CompareTimes(x.Metadata.CreationTimestamp, y.Metadata.CreationTimestamp, x, y);
    }

    /// <summary>Unset first, then newer first; ages in the same power of two of nanoseconds are ordered by UID.</summary>
    private int CompareTimes(DateTime? a, DateTime? b, V1Pod x, V1Pod y)
    {
        if (a == b)
        {
            return 0;
        }

        if (a is null || b is null)
        {
            return a is null ? -1 : 1;
        }

        var diff = LogRank(a.Value) - LogRank(b.Value);
        return diff != 0 ? Math.Sign(diff) : string.CompareOrdinal(x.Metadata.Uid, y.Metadata.Uid);
    }

    private long LogRank(DateTime at)
    {
        var nanoseconds = (now - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))).Ticks * 100.0;
        return nanoseconds > 0 ? (long)Math.Log2(nanoseconds) : -1;
    }

    private static int PhaseOrdinal(V1Pod pod) => pod.Status?.Phase switch
    {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    private static int DeletionCost(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(DeletionCostAnnotation, out var text) == true &&
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cost) ? cost : 0;

    /// <summary>The most restarts of a regular container, and of a sidecar (an init container that always restarts).</summary>
    private static (int Regular, int Sidecar) MaxRestarts(V1Pod pod)
    {
        var regular = pod.Status?.ContainerStatuses?.Select(c => c.RestartCount).DefaultIfEmpty(0).Max() ?? 0;
        var sidecars = pod.Spec?.InitContainers?.Where(c => c.RestartPolicy == "Always").Select(c => c.Name).ToHashSet() ?? [];
        var sidecar = pod.Status?.InitContainerStatuses?.Where(c => sidecars.Contains(c.Name)).Select(c => c.RestartCount).DefaultIfEmpty(0).Max() ?? 0;
        return (regular, sidecar);
    }
}
