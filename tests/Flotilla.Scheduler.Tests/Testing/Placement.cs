using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Testing;

/// <summary>A snapshot as upstream's test cache builds it: each pod on the node its <c>spec.nodeName</c> names.</summary>
internal static class Placement
{
    public static NodeInfo[] Of(IEnumerable<V1Node> nodes, IEnumerable<V1Pod>? pods = null)
    {
        var podList = pods?.ToList() ?? [];
        return [.. nodes.Select(node => Nodes.Info(node, [.. podList.Where(p => p.Spec?.NodeName == node.Metadata.Name)]))];
    }
}
