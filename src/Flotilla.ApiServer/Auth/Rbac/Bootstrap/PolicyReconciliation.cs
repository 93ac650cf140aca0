using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac.Bootstrap;

/// <summary>
/// Upstream's reconciliation of the default policy at start (pkg/registry/rbac/reconciliation, union mode): an
/// existing object gets the expected labels and annotations it lacks, the rules (or subjects, or aggregation
/// selectors) it is missing, and keeps whatever was added; one annotated
/// <c>rbac.authorization.kubernetes.io/autoupdate: "false"</c> is left alone.
/// </summary>
public static class PolicyReconciliation
{
    /// <summary>What to do with one existing object.</summary>
    public enum Outcome
    {
        None,
        Update,

        /// <summary>The roleRef differs, and a binding's roleRef cannot change: delete it and create the expected one.</summary>
        Recreate,
    }

    public static bool IsProtected(V1ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return meta.Annotations?.TryGetValue(PolicyObjects.AutoUpdateAnnotation, out var value) == true && value == "false";
    }

    /// <summary>Reconciles <paramref name="existing"/> (a copy it may change) with <paramref name="expected"/>.</summary>
    public static Outcome ReconcileClusterRole(V1ClusterRole existing, V1ClusterRole expected)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(expected);
        if (IsProtected(existing.Metadata))
        {
            return Outcome.None;
        }

        var changed = MergeMetadata(existing.Metadata, expected.Metadata);
        changed |= AddMissingRules(existing.Rules, expected.Rules, rules => existing.Rules = rules);
        if (expected.AggregationRule is null && existing.AggregationRule is not null)
        {
            // Not expected to aggregate at all.
            existing.AggregationRule = null;
            changed = true;
        }
        else if (expected.AggregationRule is { } wanted)
        {
            var have = existing.AggregationRule?.ClusterRoleSelectors ?? [];
            var missing = (wanted.ClusterRoleSelectors ?? []).Where(s => !have.Any(h => SameSelector(h, s))).ToList();
            if (missing.Count > 0)
            {
                existing.AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [.. have, .. missing] };
                changed = true;
            }
        }

        return changed ? Outcome.Update : Outcome.None;
    }

    public static Outcome ReconcileRole(V1Role existing, V1Role expected)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(expected);
        if (IsProtected(existing.Metadata))
        {
            return Outcome.None;
        }

        var changed = MergeMetadata(existing.Metadata, expected.Metadata);
        changed |= AddMissingRules(existing.Rules, expected.Rules, rules => existing.Rules = rules);
        return changed ? Outcome.Update : Outcome.None;
    }

    public static Outcome ReconcileClusterRoleBinding(V1ClusterRoleBinding existing, V1ClusterRoleBinding expected)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(expected);
        return ReconcileBinding(existing.Metadata, existing.RoleRef, existing.Subjects, expected.Metadata, expected.RoleRef, expected.Subjects, s => existing.Subjects = s);
    }

    public static Outcome ReconcileRoleBinding(V1RoleBinding existing, V1RoleBinding expected)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(expected);
        return ReconcileBinding(existing.Metadata, existing.RoleRef, existing.Subjects, expected.Metadata, expected.RoleRef, expected.Subjects, s => existing.Subjects = s);
    }

    private static Outcome ReconcileBinding(
        V1ObjectMeta meta, V1RoleRef roleRef, IList<Rbacv1Subject>? subjects,
        V1ObjectMeta expectedMeta, V1RoleRef expectedRoleRef, IList<Rbacv1Subject>? expectedSubjects,
        Action<IList<Rbacv1Subject>> setSubjects)
    {
        if (IsProtected(meta))
        {
            return Outcome.None;
        }

        if ((roleRef.ApiGroup, roleRef.Kind, roleRef.Name) != (expectedRoleRef.ApiGroup, expectedRoleRef.Kind, expectedRoleRef.Name))
        {
            return Outcome.Recreate;
        }

        var changed = MergeMetadata(meta, expectedMeta);
        var have = subjects ?? [];
        var missing = (expectedSubjects ?? []).Where(s => !have.Any(h => SameSubject(h, s))).ToList();
        if (missing.Count > 0)
        {
            setSubjects([.. have, .. missing]);
            changed = true;
        }

        return changed ? Outcome.Update : Outcome.None;
    }

    /// <summary>Adds the expected labels and annotations that are absent; values already set win (upstream's merge).</summary>
    private static bool MergeMetadata(V1ObjectMeta meta, V1ObjectMeta expected)
    {
        var changed = false;
        meta.Labels = Merge(meta.Labels, expected.Labels, ref changed);
        meta.Annotations = Merge(meta.Annotations, expected.Annotations, ref changed);
        return changed;
    }

    private static IDictionary<string, string>? Merge(IDictionary<string, string>? have, IDictionary<string, string>? expected, ref bool changed)
    {
        foreach (var (key, value) in expected ?? new Dictionary<string, string>())
        {
            have ??= new Dictionary<string, string>();
            if (have.TryAdd(key, value))
            {
                changed = true;
            }
        }

        return have;
    }

    private static bool AddMissingRules(IList<V1PolicyRule>? have, IList<V1PolicyRule>? expected, Action<IList<V1PolicyRule>> set)
    {
        var (covered, missing) = PolicyComparator.Covers(have ?? [], expected ?? []);
        if (covered)
        {
            return false;
        }

        set([.. have ?? [], .. missing]);
        return true;
    }

    private static bool SameSelector(V1LabelSelector a, V1LabelSelector b) =>
        k8s.KubernetesJson.Serialize(a) == k8s.KubernetesJson.Serialize(b);

    private static bool SameSubject(Rbacv1Subject a, Rbacv1Subject b) =>
        (a.Kind, a.ApiGroup ?? string.Empty, a.Name, a.NamespaceProperty ?? string.Empty) == (b.Kind, b.ApiGroup ?? string.Empty, b.Name, b.NamespaceProperty ?? string.Empty);
}
