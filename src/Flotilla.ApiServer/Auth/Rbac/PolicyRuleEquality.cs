using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>PolicyRules compared as upstream's equality.Semantic does: field by field, in order, an empty list equal to none.</summary>
public sealed class PolicyRuleEquality : IEqualityComparer<V1PolicyRule>
{
    public static PolicyRuleEquality Instance { get; } = new();

    public static bool SameRules(IList<V1PolicyRule>? a, IList<V1PolicyRule>? b) => (a ?? []).SequenceEqual(b ?? [], Instance);

    public bool Equals(V1PolicyRule? x, V1PolicyRule? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null
            && Same(x.Verbs, y.Verbs) && Same(x.ApiGroups, y.ApiGroups) && Same(x.Resources, y.Resources)
            && Same(x.ResourceNames, y.ResourceNames) && Same(x.NonResourceURLs, y.NonResourceURLs));

    public int GetHashCode(V1PolicyRule obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        foreach (var list in new[] { obj.Verbs, obj.ApiGroups, obj.Resources, obj.ResourceNames, obj.NonResourceURLs })
        {
            foreach (var value in list ?? [])
            {
                hash.Add(value, StringComparer.Ordinal);
            }

            hash.Add('|');
        }

        return hash.ToHashCode();
    }

    private static bool Same(IList<string>? a, IList<string>? b) => (a ?? []).SequenceEqual(b ?? [], StringComparer.Ordinal);
}
