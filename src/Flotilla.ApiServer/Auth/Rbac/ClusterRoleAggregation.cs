using Flotilla.Api.Selectors;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// The rules of an aggregated ClusterRole (upstream's clusterroleaggregation controller): for each selector in
/// order, the rules of the other ClusterRoles it matches, those sorted by name, each distinct rule once.
/// </summary>
public static class ClusterRoleAggregation
{
    /// <summary>The aggregated rules of <paramref name="role"/>; null when it has no aggregationRule or a selector is invalid.</summary>
    public static List<V1PolicyRule>? Aggregate(V1ClusterRole role, IEnumerable<V1ClusterRole> all)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(all);
        if (role.AggregationRule is not { } aggregation)
        {
            return null;
        }

        var candidates = all.Where(r => r.Metadata.Name != role.Metadata.Name).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
        var rules = new List<V1PolicyRule>();
        foreach (var selector in aggregation.ClusterRoleSelectors ?? [])
        {
            LabelSelector matcher;
            try
            {
                matcher = LabelSelector.FromModel(selector);
            }
            catch (LabelSelectorException)
            {
                return null;
            }

            foreach (var rule in candidates.Where(r => matcher.Matches(r.Metadata.Labels?.AsReadOnly())).SelectMany(r => r.Rules ?? []))
            {
                if (!rules.Contains(rule, PolicyRuleEquality.Instance))
                {
                    rules.Add(rule);
                }
            }
        }

        return rules;
    }
}
