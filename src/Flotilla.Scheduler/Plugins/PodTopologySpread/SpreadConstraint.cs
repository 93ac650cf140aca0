using Flotilla.Api.Selectors;
using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// A topology spread constraint with its selector parsed and its defaults applied (upstream
/// topologySpreadConstraint): minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore.
/// </summary>
internal sealed record SpreadConstraint(int MaxSkew, string TopologyKey, LabelSelector Selector, int MinDomains, bool HonorNodeAffinity, bool HonorNodeTaints)
{
    public const string DoNotSchedule = "DoNotSchedule";
    public const string ScheduleAnyway = "ScheduleAnyway";

    /// <summary>
    /// The constraints of <paramref name="constraints"/> with <paramref name="action"/> as their whenUnsatisfiable;
    /// each matchLabelKeys key the pod has narrows the selector to the pod's value for it.
    /// </summary>
    /// <exception cref="LabelSelectorException">A label selector that does not parse.</exception>
    public static List<SpreadConstraint> Parse(IEnumerable<V1TopologySpreadConstraint> constraints, IDictionary<string, string>? podLabels, string action)
    {
        var result = new List<SpreadConstraint>();
        foreach (var c in constraints.Where(c => c.WhenUnsatisfiable == action))
        {
            var selector = LabelSelector.FromModel(c.LabelSelector);
            var matchLabels = (c.MatchLabelKeys ?? [])
                .Where(k => podLabels?.ContainsKey(k) == true)
                .Select(k => KeyValuePair.Create(k, podLabels![k]))
                .ToList();
            if (matchLabels.Count > 0)
            {
                // As upstream mergeLabelSetWithSelector: the pod's values, then the selector's requirements (none for a null selector).
                var merged = LabelSelector.FromSet(matchLabels);
                foreach (var requirement in ReferenceEquals(selector, LabelSelector.Nothing) ? Array.Empty<LabelRequirement>() : selector.Requirements)
                {
                    merged = merged.And(requirement);
                }

                selector = merged;
            }

            result.Add(new SpreadConstraint(
                c.MaxSkew,
                c.TopologyKey ?? string.Empty,
                selector,
                c.MinDomains ?? 1,
                (c.NodeAffinityPolicy ?? "Honor") == "Honor",
                c.NodeTaintsPolicy == "Honor"));
        }

        return result;
    }

    /// <summary>Whether every constraint's topology key is a label of the node.</summary>
    public static bool NodeHasAllKeys(IReadOnlyList<SpreadConstraint> constraints, V1Node node)
    {
        var labels = node.Metadata?.Labels;
        for (var i = 0; i < constraints.Count; i++)
        {
            if (labels?.ContainsKey(constraints[i].TopologyKey) != true)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the node is one of this constraint's domains under its node inclusion policies.</summary>
    public bool Includes(NodeInclusion inclusion, V1Node node) =>
        (!HonorNodeAffinity || inclusion.MatchesNodeAffinity(node)) && (!HonorNodeTaints || inclusion.ToleratesTaints(node));

    /// <summary>Pods of <paramref name="ns"/> on the node that the selector matches; terminating pods do not count.</summary>
    /// <remarks>A plain loop: this runs for every node twice a cycle, and LINQ's enumerator and closure per call add up to megabytes.</remarks>
    public int CountMatching(List<PodInfo> pods, string ns)
    {
        var count = 0;
        for (var i = 0; i < pods.Count; i++)
        {
            var meta = pods[i].Pod.Metadata;
            if (meta?.DeletionTimestamp is null
                && (meta?.NamespaceProperty ?? string.Empty) == ns
                && Selector.Matches(meta?.Labels as IReadOnlyDictionary<string, string>))
            {
                count++;
            }
        }

        return count;
    }
}
