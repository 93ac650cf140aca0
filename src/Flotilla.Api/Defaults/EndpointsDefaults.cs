using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetDefaults_Endpoints: every subset port speaks TCP unless it says otherwise.</summary>
public static class EndpointsDefaults
{
    public static void Apply(V1Endpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var port in (endpoints.Subsets ?? []).SelectMany(s => s.Ports ?? []))
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }
        }
    }
}
