using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetDefaults_Namespace and SetDefaults_NamespaceStatus.</summary>
public static class NamespaceDefaults
{
    public const string NameLabel = "kubernetes.io/metadata.name";
    public const string Active = "Active";

    public static void Apply(V1Namespace ns)
    {
        ArgumentNullException.ThrowIfNull(ns);

        // A namespace asked for by generateName has no name yet; the strategy labels it once it has.
        if (ns.Metadata?.Name is { Length: > 0 } name)
        {
            ns.Metadata.Labels ??= new Dictionary<string, string>();
            ns.Metadata.Labels[NameLabel] = name;
        }

        var status = ns.Status ??= new V1NamespaceStatus();
        if (string.IsNullOrEmpty(status.Phase))
        {
            status.Phase = Active;
        }
    }
}
