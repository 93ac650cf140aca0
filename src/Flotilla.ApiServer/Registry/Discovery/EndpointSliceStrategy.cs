using Flotilla.Api.Resources;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Discovery;

/// <summary>
/// EndpointSlices count generations although they have no spec (upstream's endpointslice strategy): any change to
/// endpoints, ports, address type or labels is a new generation, so the EndpointSlice controller can tell its own
/// writes from others' and a stale cache from a fresh one.
/// </summary>
public sealed class EndpointSliceStrategy(ResourceInfo resource) : ObjectStrategy<V1EndpointSlice>(resource)
{
    protected override void PrepareForCreate(V1EndpointSlice obj) => obj.Metadata.Generation = 1;

    protected override void PrepareForUpdate(V1EndpointSlice obj, V1EndpointSlice old)
    {
        var changed = obj.AddressType != old.AddressType ||
            !JsonEquals(obj.Endpoints, old.Endpoints) ||
            !JsonEquals(obj.Ports, old.Ports) ||
            !Api.Selectors.LabelSets.Equal(obj.Metadata.Labels, old.Metadata.Labels);
        obj.Metadata.Generation = (old.Metadata.Generation ?? 0) + (changed ? 1 : 0);
    }
}
