using Flotilla.Api.Serialization;
using System.Text;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// Upstream's CompactRules and CompactString: atoms that differ only by verb merge back into one rule, and a rule
/// prints as Go's <c>{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}</c> in escalation errors.
/// </summary>
public static class RuleCompaction
{
    /// <summary>Merges rules of one group, one resource and at most one name (and nothing else) that differ only by verb.</summary>
    public static List<V1PolicyRule> CompactRules(IEnumerable<V1PolicyRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var compacted = new List<V1PolicyRule>();
        var simple = new Dictionary<(string Group, string Resource, string? Name), V1PolicyRule>();
        var order = new List<(string, string, string?)>();
        foreach (var rule in rules)
        {
            if (SimpleKey(rule) is { } key)
            {
                if (simple.TryGetValue(key, out var existing))
                {
                    existing.Verbs = [.. existing.Verbs ?? [], .. rule.Verbs ?? []];
                }
                else
                {
                    simple[key] = new V1PolicyRule
                    {
                        ApiGroups = [.. rule.ApiGroups],
                        Resources = [.. rule.Resources],
                        Verbs = rule.Verbs is null ? null : [.. rule.Verbs],
                        ResourceNames = rule.ResourceNames is null ? null : [.. rule.ResourceNames],
                    };
                    order.Add(key);
                }
            }
            else
            {
                compacted.Add(rule);
            }
        }

        compacted.AddRange(order.Select(k => simple[k]));
        return compacted;
    }

    /// <summary>The rule as upstream's rbacv1helpers.CompactString prints it (empty fields left out).</summary>
    public static string CompactString(V1PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var parts = new List<string>();
        Add(parts, "APIGroups", rule.ApiGroups);
        Add(parts, "Resources", rule.Resources);
        Add(parts, "NonResourceURLs", rule.NonResourceURLs);
        Add(parts, "ResourceNames", rule.ResourceNames);
        Add(parts, "Verbs", rule.Verbs);
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>A string slice as Go's <c>%q</c> prints it: <c>["a" "b"]</c>.</summary>
    public static string GoQuoted(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return "[" + string.Join(' ', values.Select(Flotilla.Api.Serialization.GoQuote.Quote)) + "]";
    }

    private static void Add(List<string> parts, string name, IList<string>? values)
    {
        if (values is { Count: > 0 })
        {
            parts.Add($"{name}:{GoQuoted(values)}");
        }
    }

    private static (string, string, string?)? SimpleKey(V1PolicyRule rule)
    {
        if (rule.ResourceNames is { Count: > 1 } || rule.NonResourceURLs is { Count: > 0 } || rule.ApiGroups is not { Count: 1 } || rule.Resources is not { Count: 1 })
        {
            return null;
        }

        return (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames is { Count: 1 } names ? names[0] : null);
    }
}
