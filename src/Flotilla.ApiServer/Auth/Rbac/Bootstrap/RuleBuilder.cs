using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac.Bootstrap;

/// <summary>
/// Builds a PolicyRule as upstream's rbacv1helpers.NewRule does: every list sorted and without duplicates, so the
/// default roles come out exactly as upstream's bootstrap policy serialises them.
/// </summary>
public sealed class RuleBuilder
{
    private readonly V1PolicyRule _rule;

    private RuleBuilder(string[] verbs) => _rule = new V1PolicyRule { Verbs = Sorted(verbs) };

    public static RuleBuilder Verbs(params string[] verbs) => new(verbs);

    public RuleBuilder Groups(params string[] groups) => With(r => r.ApiGroups = Sorted(groups));

    public RuleBuilder Resources(params string[] resources) => With(r => r.Resources = Sorted(resources));

    public RuleBuilder Names(params string[] names) => With(r => r.ResourceNames = Sorted(names));

    public RuleBuilder Urls(params string[] urls) => With(r => r.NonResourceURLs = Sorted(urls));

    public V1PolicyRule Rule() => _rule;

    private RuleBuilder With(Action<V1PolicyRule> set)
    {
        set(_rule);
        return this;
    }

    private static List<string> Sorted(string[] values) => [.. values.Distinct().Order(StringComparer.Ordinal)];
}
