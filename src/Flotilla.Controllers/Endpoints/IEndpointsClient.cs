using Flotilla.Client;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>The Endpoints writes of the endpoints controller.</summary>
public interface IEndpointsClient
{
    Task<V1Endpoints> CreateAsync(V1Endpoints endpoints, CancellationToken cancellationToken);

    Task<V1Endpoints> UpdateAsync(V1Endpoints endpoints, CancellationToken cancellationToken);

    /// <summary>Deletes; gone already is not an error.</summary>
    Task DeleteAsync(string ns, string name, CancellationToken cancellationToken);
}

public sealed class EndpointsClient(IKubernetes client) : IEndpointsClient
{
    public Task<V1Endpoints> CreateAsync(V1Endpoints endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return client.CoreV1.CreateNamespacedEndpointsAsync(endpoints, endpoints.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public Task<V1Endpoints> UpdateAsync(V1Endpoints endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return client.CoreV1.ReplaceNamespacedEndpointsAsync(endpoints, endpoints.Metadata.Name, endpoints.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedEndpointsAsync(name, ns, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (Flotilla.Client.ApiErrors.IsNotFound(e))
        {
        }
    }
}
