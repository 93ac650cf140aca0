using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's discovery/v1 SetDefaults_EndpointPort: an unnamed port is named "" and speaks TCP.</summary>
public static class EndpointSliceDefaults
{
    public static void Apply(V1EndpointSlice slice)
    {
        ArgumentNullException.ThrowIfNull(slice);
        foreach (var port in slice.Ports ?? [])
        {
            port.Name ??= "";
            port.Protocol ??= "TCP";
        }
    }
}
