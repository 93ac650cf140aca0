using Flotilla.Api.Resources;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Core;

/// <summary>
/// Nodes: as upstream's nodeStrategy, all fields including status may be set on create (a kubelet registers its
/// node with capacity and addresses); later status changes go through <c>/status</c>.
/// </summary>
public sealed class NodeStrategy(ResourceInfo resource) : ObjectStrategy<V1Node>(resource)
{
    protected override bool KeepsStatusOnCreate => true;
}
