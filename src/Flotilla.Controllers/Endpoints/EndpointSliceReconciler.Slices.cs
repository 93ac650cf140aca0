using Flotilla.Api.Selectors;
using Flotilla.Api.Services;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>What slices and their endpoints look like: built from pods, keyed, labelled, compared (upstream's utils).</summary>
public sealed partial class EndpointSliceReconciler
{
    /// <summary>Upstream podToEndpoint: ready only when serving and not terminating, unless the Service publishes not-ready addresses.</summary>
    public static V1Endpoint Endpoint(V1Pod pod, V1Node? node, V1Service service, string family)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(service);
        var serving = Pods.IsReady(pod);
        var terminating = pod.Metadata.DeletionTimestamp is not null;
        return new V1Endpoint
        {
            Addresses = ServicePods.Addresses(pod, family).ToList(),
            Conditions = new V1EndpointConditions
            {
                Ready = service.Spec.PublishNotReadyAddresses == true || (serving && !terminating),
                Serving = serving,
                Terminating = terminating,
            },
            TargetRef = new V1ObjectReference { Kind = "Pod", NamespaceProperty = pod.Metadata.NamespaceProperty, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            NodeName = string.IsNullOrEmpty(pod.Spec.NodeName) ? null : pod.Spec.NodeName,
            Zone = node?.Metadata.Labels?.TryGetValue(ZoneLabel, out var zone) == true && zone.Length > 0 ? zone : null,
            Hostname = ServicePods.ShouldSetHostname(pod, service) ? pod.Spec.Hostname : null,
        };
    }

    /// <summary>Upstream getEndpointPorts: the service ports this pod offers (none for a headless Service without ports).</summary>
    public static List<Discoveryv1EndpointPort> Ports(V1Service service, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(service);
        var ports = new List<Discoveryv1EndpointPort>();
        foreach (var servicePort in service.Spec.Ports ?? [])
        {
            if (ServicePods.FindPort(pod, servicePort) is { } port)
            {
                ports.Add(new Discoveryv1EndpointPort { Name = servicePort.Name ?? string.Empty, Port = port, Protocol = servicePort.Protocol, AppProtocol = servicePort.AppProtocol });
            }
        }

        return ports;
    }

    /// <summary>
    /// Upstream setEndpointSliceLabels: the Service's labels plus the reserved ones (service name, managed-by,
    /// headless); changed when the non-reserved labels differ from the Service's.
    /// </summary>
    public static (Dictionary<string, string> Labels, bool Changed) SliceLabels(V1EndpointSlice slice, V1Service service)
    {
        var sliceLabels = (slice.Metadata.Labels ?? new Dictionary<string, string>()).Where(l => !Reserved(l.Key)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var labels = (service.Metadata.Labels ?? new Dictionary<string, string>()).Where(l => !Reserved(l.Key)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        var changed = !LabelSets.Equal(sliceLabels, labels);
        if (ServicePods.IsHeadless(service))
        {
            labels[ServiceLabels.Headless] = string.Empty;
        }

        labels[ServiceLabels.ServiceName] = service.Metadata.Name;
        labels[ManagedByLabel] = ControllerName;
        return (labels, changed);
    }

    private static bool Reserved(string key) => key is ServiceLabels.ServiceName or ManagedByLabel or ServiceLabels.Headless;

    private static V1EndpointSlice NewSlice(V1Service service, IList<Discoveryv1EndpointPort> ports, string family)
    {
        var slice = new V1EndpointSlice
        {
            ApiVersion = "discovery.k8s.io/v1",
            Kind = "EndpointSlice",
            Metadata = new V1ObjectMeta
            {
                GenerateName = service.Metadata.Name + "-",
                NamespaceProperty = service.Metadata.NamespaceProperty,
                OwnerReferences = [OwnerReferences.ControllerRef(service, "v1", "Service")],
            },
            AddressType = family,
            Ports = ports,
            Endpoints = [],
        };
        slice.Metadata.Labels = SliceLabels(slice, service).Labels;
        return slice;
    }

    private static bool OwnedBy(V1EndpointSlice slice, V1Service service) =>
        slice.Metadata.OwnerReferences?.Any(o => o.Uid == service.Metadata.Uid && o.Kind == "Service" && o.ApiVersion == "v1") == true;

    /// <summary>Upstream placeholderSliceCompare: namespace, labels, owners, address type; no endpoints and no ports on either.</summary>
    private static bool SamePlaceholder(V1EndpointSlice a, V1EndpointSlice b) =>
        a.Metadata.NamespaceProperty == b.Metadata.NamespaceProperty &&
        LabelSets.Equal(a.Metadata.Labels, b.Metadata.Labels) &&
        (a.Metadata.OwnerReferences ?? []).Select(OwnerKey).SequenceEqual((b.Metadata.OwnerReferences ?? []).Select(OwnerKey), StringComparer.Ordinal) &&
        a.AddressType == b.AddressType &&
        (a.Endpoints?.Count ?? 0) == 0 && (b.Endpoints?.Count ?? 0) == 0 &&
        PortsKey(a.Ports) == PortsKey(b.Ports);

    private static string OwnerKey(V1OwnerReference o) => $"{o.ApiVersion}/{o.Kind}/{o.Name}/{o.Uid}/{o.Controller}/{o.BlockOwnerDeletion}";

    /// <summary>Upstream getSliceToFill: the slice closest to full once <paramref name="count"/> more are added.</summary>
    private V1EndpointSlice? BestFit(IEnumerable<V1EndpointSlice> slices, int count)
    {
        V1EndpointSlice? best = null;
        var closest = maxEndpointsPerSlice;
        foreach (var slice in slices)
        {
            var room = maxEndpointsPerSlice - (count + (slice.Endpoints?.Count ?? 0));
            if (room >= 0 && room < closest)
            {
                (closest, best) = (room, slice);
                if (room == 0)
                {
                    break;
                }
            }
        }

        return best;
    }

    private void Fill(V1EndpointSlice slice, SortedDictionary<string, V1Endpoint> desired)
    {
        while (desired.Count > 0 && slice.Endpoints.Count < maxEndpointsPerSlice)
        {
            var (key, endpoint) = desired.First();
            desired.Remove(key);
            slice.Endpoints.Add(endpoint);
        }
    }

    private static void SetTriggerTime(V1EndpointSlice slice, DateTime? triggerTime)
    {
        slice.Metadata.Annotations ??= new Dictionary<string, string>();
        if (triggerTime is { } time)
        {
            slice.Metadata.Annotations[TriggerTimeTracker.Annotation] = TriggerTimeTracker.Format(time);
        }
        else
        {
            slice.Metadata.Annotations.Remove(TriggerTimeTracker.Annotation);
        }
    }

    /// <summary>What identifies an endpoint across syncs (upstream hashEndpoint): addresses, hostname, pod.</summary>
    private static string EndpointKey(V1Endpoint endpoint) =>
        string.Join(',', (endpoint.Addresses ?? []).Order(StringComparer.Ordinal)) + "|" + endpoint.Hostname + "|" + endpoint.TargetRef?.NamespaceProperty + "/" + endpoint.TargetRef?.Name;

    /// <summary>Upstream EndpointsEqualBeyondHash: node, zone, conditions and pod UID.</summary>
    private static bool SameBeyondKey(V1Endpoint a, V1Endpoint b) =>
        a.NodeName == b.NodeName && a.Zone == b.Zone &&
        a.Conditions?.Ready == b.Conditions?.Ready && a.Conditions?.Serving == b.Conditions?.Serving && a.Conditions?.Terminating == b.Conditions?.Terminating &&
        a.TargetRef?.Uid == b.TargetRef?.Uid && a.TargetRef?.Kind == b.TargetRef?.Kind;

    private static string PortsKey(IEnumerable<Discoveryv1EndpointPort>? ports) =>
        string.Join(',', (ports ?? []).Select(p => $"{p.Name}/{p.Port}/{p.Protocol}/{p.AppProtocol}").Order(StringComparer.Ordinal));

    private static List<V1EndpointSlice> Group(Dictionary<string, List<V1EndpointSlice>> groups, string key)
    {
        if (!groups.TryGetValue(key, out var list))
        {
            list = [];
            groups[key] = list;
        }

        return list;
    }
}
