using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>The namespaces every cluster has, created at start when missing (upstream's system namespaces controller).</summary>
public static class SystemNamespaces
{
    public static IReadOnlyList<string> Names { get; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public static async Task EnsureAsync(ResourceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var namespaces = registry.Find("", "v1", "namespaces")!;
        foreach (var name in Names)
        {
            try
            {
                await namespaces.CreateAsync(null, new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, dryRun: false, admission: null, cancellationToken);
            }
            catch (StatusException e) when (e.Reason == "AlreadyExists")
            {
                // Created by an earlier start.
            }
        }
    }
}
