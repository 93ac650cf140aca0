using Flotilla.Api.Errors;
using Flotilla.ApiServer.Registry;
using k8s.Models;

namespace Flotilla.ApiServer.Bootstrap;

/// <summary>The two PriorityClasses every cluster has (upstream's scheduling post-start hook), created when missing.</summary>
public static class SystemPriorityClasses
{
    public static async Task EnsureAsync(ResourceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var classes = registry.Find("scheduling.k8s.io", "v1", "priorityclasses")!;
        V1PriorityClass[] wanted =
        [
            new() { Metadata = new V1ObjectMeta { Name = "system-node-critical" }, Value = 2000001000, Description = "Used for system critical pods that must not be moved from their current node." },
            new() { Metadata = new V1ObjectMeta { Name = "system-cluster-critical" }, Value = 2000000000, Description = "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary." },
        ];
        foreach (var priorityClass in wanted)
        {
            try
            {
                await classes.CreateAsync(null, priorityClass, dryRun: false, admission: null, cancellationToken);
            }
            catch (StatusException e) when (e.Reason == "AlreadyExists")
            {
                // Created by an earlier start.
            }
        }
    }
}
