using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>Whether a pod's tolerations tolerate a node's taints (upstream v1.Toleration.ToleratesTaint and component-helpers).</summary>
public static class Tolerations
{
    public const string NoSchedule = "NoSchedule";
    public const string PreferNoSchedule = "PreferNoSchedule";
    public const string NoExecute = "NoExecute";

    /// <summary>Whether any of <paramref name="tolerations"/> tolerates <paramref name="taint"/>.</summary>
    public static bool ToleratesTaint(IEnumerable<V1Toleration>? tolerations, V1Taint taint)
    {
        foreach (var toleration in tolerations ?? [])
        {
            if (TaintMatching.Tolerates(toleration, taint))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first taint, in the node's order, that <paramref name="include"/> selects and no toleration tolerates
    /// (upstream FindMatchingUntoleratedTaint); null when every such taint is tolerated.
    /// </summary>
    public static V1Taint? FindUntoleratedTaint(IEnumerable<V1Taint>? taints, IEnumerable<V1Toleration>? tolerations, Func<V1Taint, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        if (taints is null || (taints is ICollection<V1Taint> { Count: 0 }))
        {
            return null;
        }

        var list = tolerations as IReadOnlyCollection<V1Toleration> ?? [.. tolerations ?? []];
        foreach (var taint in taints ?? [])
        {
            if (include(taint) && !ToleratesTaint(list, taint))
            {
                return taint;
            }
        }

        return null;
    }

    /// <summary>Taints that keep pods off a node (upstream helper.DoNotScheduleTaintsFilterFunc): NoSchedule and NoExecute.</summary>
    public static bool IsDoNotSchedule(V1Taint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        return taint.Effect is NoSchedule or NoExecute;
    }
}
