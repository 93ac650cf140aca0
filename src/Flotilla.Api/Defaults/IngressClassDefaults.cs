using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's networking/v1 SetDefaults_IngressClass: parameters are cluster-scoped unless they say so.</summary>
public static class IngressClassDefaults
{
    public const string ClusterScope = "Cluster";

    public static void Apply(V1IngressClass ingressClass)
    {
        ArgumentNullException.ThrowIfNull(ingressClass);
        if (ingressClass.Spec?.Parameters is { Scope: null } parameters)
        {
            parameters.Scope = ClusterScope;
        }
    }
}
