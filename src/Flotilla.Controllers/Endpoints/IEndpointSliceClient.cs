using Flotilla.Client;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>The EndpointSlice writes of the EndpointSlice controller.</summary>
public interface IEndpointSliceClient
{
    Task<V1EndpointSlice> CreateAsync(V1EndpointSlice slice, CancellationToken cancellationToken);

    Task<V1EndpointSlice> UpdateAsync(V1EndpointSlice slice, CancellationToken cancellationToken);

    /// <summary>Deletes; gone already is not an error.</summary>
    Task DeleteAsync(string ns, string name, CancellationToken cancellationToken);
}

public sealed class EndpointSliceClient(IKubernetes client) : IEndpointSliceClient
{
    public Task<V1EndpointSlice> CreateAsync(V1EndpointSlice slice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, slice.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task<V1EndpointSlice> UpdateAsync(V1EndpointSlice slice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(slice, slice.Metadata.Name, slice.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
        }
    }
}
