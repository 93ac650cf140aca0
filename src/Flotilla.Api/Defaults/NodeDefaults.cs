using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's SetObjectDefaults_Node: a node that reports no allocatable can allocate all its capacity.</summary>
public static class NodeDefaults
{
    public static void Apply(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Status is not { } status)
        {
            return;
        }

        // An empty capacity would give an empty allocatable, which Go omits on the wire: copy only something.
        if (status.Allocatable is null && status.Capacity is { Count: > 0 } capacity)
        {
            status.Allocatable = new Dictionary<string, ResourceQuantity>(capacity);
        }

        ResourceListDefaults.RoundUpToMilli(status.Capacity);
        ResourceListDefaults.RoundUpToMilli(status.Allocatable);
    }
}
