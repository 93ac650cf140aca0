using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>Rebuilds the in-memory IP and port allocators from the stored Services before anything is allocated.</summary>
public static class ServiceRepair
{
    public static async Task RunAsync(ResourceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var page = await registry.Find("", "v1", "services")!.ListAsync(null, new ListRequest(), cancellationToken);
        registry.Network.Services.Repair(page.Items.Cast<V1Service>());
    }
}
