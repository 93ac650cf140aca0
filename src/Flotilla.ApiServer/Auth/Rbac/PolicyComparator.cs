using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// Whether one set of rules grants everything another does (upstream's rbac validation Covers): the servant rules
/// are broken down into atoms of one verb, group, resource and name (or URL), and each atom must be covered by a
/// single owner rule. Used by escalation prevention and by the reconciliation of the default roles.
/// </summary>
public static class PolicyComparator
{
    /// <summary>True when <paramref name="owner"/> covers <paramref name="servant"/>; otherwise the atoms it misses, in order.</summary>
    public static (bool Covered, List<V1PolicyRule> Uncovered) Covers(IEnumerable<V1PolicyRule> owner, IEnumerable<V1PolicyRule> servant)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(servant);
        var owners = owner as IReadOnlyCollection<V1PolicyRule> ?? [.. owner];
        var uncovered = servant.SelectMany(BreakdownRule).Where(atom => !owners.Any(o => RuleCovers(o, atom))).ToList();
        return (uncovered.Count == 0, uncovered);
    }

    /// <summary>The equivalent rules with at most one verb, group, resource and resource name each (upstream BreakdownRule).</summary>
    public static IEnumerable<V1PolicyRule> BreakdownRule(V1PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var group in rule.ApiGroups ?? [])
        {
            foreach (var resource in rule.Resources ?? [])
            {
                foreach (var verb in rule.Verbs ?? [])
                {
                    if (rule.ResourceNames is { Count: > 0 } names)
                    {
                        foreach (var name in names)
                        {
                            yield return new V1PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb], ResourceNames = [name] };
                        }
                    }
                    else
                    {
                        yield return new V1PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb] };
                    }
                }
            }
        }

        // Non-resource URLs combine only with verbs.
        foreach (var url in rule.NonResourceURLs ?? [])
        {
            foreach (var verb in rule.Verbs ?? [])
            {
                yield return new V1PolicyRule { NonResourceURLs = [url], Verbs = [verb] };
            }
        }
    }

    /// <summary>Whether <paramref name="owner"/> covers <paramref name="sub"/>, an atom from <see cref="BreakdownRule"/> (upstream ruleCovers).</summary>
    public static bool RuleCovers(V1PolicyRule owner, V1PolicyRule sub)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(sub);
        var verbs = Has(owner.Verbs, "*") || HasAll(owner.Verbs, sub.Verbs);
        var groups = Has(owner.ApiGroups, "*") || HasAll(owner.ApiGroups, sub.ApiGroups);
        var resources = ResourceCoversAll(owner.Resources, sub.Resources);
        var urls = (sub.NonResourceURLs ?? []).All(path => (owner.NonResourceURLs ?? []).Any(o => NonResourceUrlCovers(o, path)));
        var names = sub.ResourceNames is not { Count: > 0 }
            ? owner.ResourceNames is not { Count: > 0 }
            : owner.ResourceNames is not { Count: > 0 } || HasAll(owner.ResourceNames, sub.ResourceNames);
        return verbs && groups && resources && names && urls;
    }

    /// <summary>An owner URL covers a path when equal, or when it ends in <c>*</c> and the path starts with the rest.</summary>
    public static bool NonResourceUrlCovers(string owner, string path)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(path);
        return owner == path || (owner.EndsWith('*') && path.StartsWith(owner.TrimEnd('*'), StringComparison.Ordinal));
    }

    private static bool ResourceCoversAll(IList<string>? owned, IList<string>? wanted)
    {
        if (Has(owned, "*") || HasAll(owned, wanted))
        {
            return true;
        }

        // A subresource is also covered by "*/<subresource>".
        return (wanted ?? []).All(path => Has(owned, path) || (path.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 && Has(owned, "*" + path[slash..])));
    }

    private static bool Has(IList<string>? set, string value) => set is not null && set.Contains(value);

    private static bool HasAll(IList<string>? set, IList<string>? values) => (values ?? []).All(v => Has(set, v));
}
