using System.Net;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>
/// The <c>kubernetes</c> Service in <c>default</c> (cluster IP 10.43.0.1, port 443) and its Endpoints and
/// EndpointSlice: the live API servers (<see cref="MasterLeases"/>), kept as upstream's bootstrap controller keeps them.
/// </summary>
public static class KubernetesService
{
    /// <summary>The Service itself, its target port the API servers' (every one serves on the same port, as upstream requires).</summary>
    public static async Task EnsureServiceAsync(ResourceRegistry registry, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var labels = new Dictionary<string, string> { ["component"] = "apiserver", ["provider"] = "kubernetes" };
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "kubernetes", Labels = labels },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                ClusterIP = registry.Network.ApiServiceIp,
                SessionAffinity = "None",
                Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP", TargetPort = port }],
            },
        };
        await CreateOrKeepAsync(registry.Find("", "v1", "services")!, "default", service, cancellationToken);
    }

    /// <summary>The Service's Endpoints and EndpointSlice: every live API server's address (<see cref="MasterLeases"/>).</summary>
    public static Task SetEndpointsAsync(ResourceRegistry registry, IReadOnlyList<IPAddress> addresses, int port, CancellationToken cancellationToken) =>
        ServerEndpoints.SetAsync(registry, "default", "kubernetes", addresses, [("https", port, "TCP")], cancellationToken);

    /// <summary>Creates <paramref name="service"/> unless it exists (perhaps changed since, which is the administrator's to do).</summary>
    internal static async Task CreateOrKeepAsync(ResourceStorage storage, string ns, V1Service service, CancellationToken cancellationToken)
    {
        try
        {
            // Kept from an earlier start. Look first: a create would allocate the cluster IP before finding the
            // Service exists, and the allocator repaired from the store already holds that IP.
            await storage.GetAsync(ns, service.Metadata.Name, cancellationToken);
            return;
        }
        catch (StatusException e) when (e.Reason == "NotFound")
        {
        }

        try
        {
            await storage.CreateAsync(ns, service, dryRun: false, admission: null, cancellationToken);
        }
        catch (StatusException e) when (e.Reason == "AlreadyExists")
        {
            // Kept from an earlier start.
        }
    }
}
