namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Which Node labels a kubelet may set on itself (upstream's NodeRestriction getForbiddenLabels with
/// k8s.io/kubelet's IsKubeletLabel): none under <c>node-restriction.kubernetes.io/</c>, and under
/// <c>kubernetes.io/</c> and <c>k8s.io/</c> (and their subdomains) only the well-known ones kubelets set and the
/// <c>kubelet.kubernetes.io/</c> and <c>node.kubernetes.io/</c> prefixes. Other labels are the node's to set.
/// </summary>
public static class NodeLabelPolicy
{
    private const string NodeRestrictionNamespace = "node-restriction.kubernetes.io";

    private static readonly HashSet<string> KubeletLabels = new(StringComparer.Ordinal)
    {
        "kubernetes.io/hostname",
        "topology.kubernetes.io/zone",
        "topology.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone",
        "failure-domain.beta.kubernetes.io/region",
        "beta.kubernetes.io/instance-type",
        "node.kubernetes.io/instance-type",
        "kubernetes.io/os",
        "kubernetes.io/arch",
        "beta.kubernetes.io/os",
        "beta.kubernetes.io/arch",
    };

    private static readonly string[] KubeletLabelNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"];

    /// <summary>Keys added, removed or changed between <paramref name="labels"/> and <paramref name="old"/>.</summary>
    public static IReadOnlySet<string> Modified(IDictionary<string, string>? labels, IDictionary<string, string>? old)
    {
        var modified = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            if (old is null || !old.TryGetValue(key, out var was) || was != value)
            {
                modified.Add(key);
            }
        }

        foreach (var key in (old ?? new Dictionary<string, string>()).Keys)
        {
            if (labels is null || !labels.ContainsKey(key))
            {
                modified.Add(key);
            }
        }

        return modified;
    }

    /// <summary>Which of the modified keys a node may not touch, sorted (as upstream lists them).</summary>
    public static IReadOnlyList<string> Forbidden(IReadOnlySet<string> modified)
    {
        ArgumentNullException.ThrowIfNull(modified);
        return [.. modified.Where(key =>
        {
            var ns = Namespace(key);
            return Within(ns, NodeRestrictionNamespace) || ((Within(ns, "kubernetes.io") || Within(ns, "k8s.io")) && !IsKubeletLabel(key));
        }).Order(StringComparer.Ordinal)];
    }

    public static bool IsKubeletLabel(string key) =>
        KubeletLabels.Contains(key) || KubeletLabelNamespaces.Any(allowed => Within(Namespace(key), allowed));

    private static bool Within(string ns, string domain) =>
        ns == domain || ns.EndsWith("." + domain, StringComparison.Ordinal);

    private static string Namespace(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : key[..slash];
    }
}
