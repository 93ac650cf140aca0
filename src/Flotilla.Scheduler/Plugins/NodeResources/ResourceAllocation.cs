using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodeResources;

/// <summary>
/// What the node-resources scorers compare, per configured resource (upstream resourceAllocationScorer): the pod's
/// request, and the node's allocatable against what it would have requested with the pod on it.
/// </summary>
internal static class ResourceAllocation
{
    /// <param name="useRequested">
    /// False (NodeResourcesFit) scores with the non-zero defaults for containers without CPU or memory requests, on
    /// both the pod and the node; true (BalancedAllocation) uses the actual requests.
    /// </param>
    public static long[] PodRequests(V1Pod pod, IReadOnlyList<ResourceSpec> resources, bool useRequested)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var requests = Resource.Requests(pod, nonZero: !useRequested);
        var list = new long[resources.Count];
        for (var i = 0; i < list.Length; i++)
        {
            list[i] = requests.Get(resources[i].Name);
        }

        return list;
    }

    /// <summary>
    /// Per resource: the node's allocatable and its requests with the pod added; both 0 for a resource to leave out
    /// (absent on the node, or an extended resource the pod does not ask for).
    /// </summary>
    /// <remarks>Fills the caller's spans (one entry per resource): scoring runs per node, and must not allocate.</remarks>
    public static void ForNode(NodeInfo node, IReadOnlyList<ResourceSpec> resources, long[] podRequests, bool useRequested, Span<long> requested, Span<long> allocatable)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(podRequests);
        var onNode = useRequested ? node.Requested : node.NonZeroRequested;
        for (var i = 0; i < resources.Count; i++)
        {
            var name = resources[i].Name;
            var podRequest = podRequests[i];
            (allocatable[i], requested[i]) = name switch
            {
                _ when podRequest == 0 && Resource.IsScalar(name) => (0L, 0L),
                ResourceNames.Cpu => (node.Allocatable.MilliCpu, onNode.MilliCpu + podRequest),
                ResourceNames.Memory => (node.Allocatable.Memory, onNode.Memory + podRequest),
                ResourceNames.EphemeralStorage => (node.Allocatable.EphemeralStorage, node.Requested.EphemeralStorage + podRequest),
                _ when node.Allocatable.Scalar.TryGetValue(name, out var scalar) => (scalar, node.Requested.Scalar.GetValueOrDefault(name) + podRequest),
                _ => (0L, 0L),
            };
        }
    }
}
