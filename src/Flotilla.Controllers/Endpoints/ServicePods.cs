using Flotilla.Api.Selectors;
using Flotilla.Api.Services;
using Flotilla.Client;
using Flotilla.Client.Informers;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>
/// What the Endpoints and EndpointSlice controllers agree on (upstream's endpointslice util): which pods back a
/// Service, on which port, and which Services a pod change concerns.
/// </summary>
public static class ServicePods
{
    /// <summary>Services with a selector get their endpoints from the controllers; ExternalName ones get none.</summary>
    public static bool HasManagedEndpoints(V1Service service) =>
        service.Spec?.Selector is not null && service.Spec.Type != "ExternalName";

    /// <summary>The pods a Service selects (a nil selector selects none; an empty one, all).</summary>
    public static IReadOnlyList<V1Pod> Selected(Lister<V1Pod> pods, V1Service service) =>
        pods.List(service.Metadata.NamespaceProperty, LabelSelector.FromSet(service.Spec.Selector));

    /// <summary>
    /// Upstream ShouldPodBeInEndpoints: not finished, has an IP, and not being deleted unless
    /// <paramref name="includeTerminating"/>.
    /// </summary>
    public static bool ShouldBeInEndpoints(V1Pod pod, bool includeTerminating) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") &&
        (!string.IsNullOrEmpty(pod.Status?.PodIP) || pod.Status?.PodIPs is { Count: > 0 }) &&
        (includeTerminating || pod.Metadata.DeletionTimestamp is null);

    /// <summary>A pod's hostname names its endpoint when its subdomain is the Service (StatefulSet pods).</summary>
    public static bool ShouldSetHostname(V1Pod pod, V1Service service) =>
        !string.IsNullOrEmpty(pod.Spec?.Hostname) && pod.Spec.Subdomain == service.Metadata.Name && pod.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty;

    /// <summary>A Service with no cluster IP (<c>None</c>) is headless.</summary>
    public static bool IsHeadless(V1Service service) => service.Spec?.ClusterIP is null or "" or "None";

    /// <summary>
    /// Upstream FindPort: a numeric target port as is; a named one looked up among the containers' ports (and the
    /// sidecar init containers') with the service port's protocol. Null when the pod does not offer it.
    /// </summary>
    public static int? FindPort(V1Pod pod, V1ServicePort servicePort)
    {
        var target = servicePort.TargetPort;
        if (target is null)
        {
            return servicePort.Port;
        }

        if (int.TryParse(target.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        var protocol = servicePort.Protocol ?? "TCP";
        var containers = (pod.Spec?.Containers ?? []).Concat((pod.Spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"));
        return containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target.Value && (p.Protocol ?? "TCP") == protocol)?.ContainerPort;
    }

    /// <summary>The IP addresses of <paramref name="family"/> (<c>IPv4</c> or <c>IPv6</c>) a pod has.</summary>
    public static IEnumerable<string> Addresses(V1Pod pod, string family)
    {
        var ips = pod.Status?.PodIPs is { Count: > 0 } list ? list.Select(i => i.Ip) : pod.Status?.PodIP is { Length: > 0 } one ? [one] : [];
        foreach (var text in ips)
        {
            if (System.Net.IPAddress.TryParse(text, out var ip) && (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == (family == "IPv6"))
            {
                yield return ip.ToString();
            }
        }
    }

    /// <summary>The IP families a Service's endpoints have (upstream getAddressTypesForService).</summary>
    public static IReadOnlyList<string> Families(V1Service service)
    {
        if (service.Spec?.IpFamilies is { Count: > 0 } families)
        {
            return families.Where(f => f is "IPv4" or "IPv6").Distinct(StringComparer.Ordinal).ToList();
        }

        if (!IsHeadless(service))
        {
            return [System.Net.IPAddress.TryParse(service.Spec!.ClusterIP, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4"];
        }

        return ["IPv4", "IPv6"];
    }

    /// <summary>The keys of the Services in <paramref name="ns"/> whose selector matches <paramref name="labels"/>.</summary>
    public static HashSet<string> Selecting(Lister<V1Service> services, string ns, IDictionary<string, string>? labels)
    {
        var set = labels is null ? [] : new Dictionary<string, string>(labels, StringComparer.Ordinal);
        return services.List(ns)
            .Where(s => s.Spec?.Selector is not null && LabelSelector.FromSet(s.Spec.Selector).Matches(set))
            .Select(ObjectKeys.Of)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Upstream GetServicesToUpdateOnPodChange: nothing for a resync or a change endpoints do not show; the union of
    /// old and new memberships when the endpoint changed too; otherwise only the memberships that changed.
    /// </summary>
    public static HashSet<string> ToUpdateOnPodChange(Lister<V1Service> services, V1Pod old, V1Pod pod)
    {
        if (old.Metadata.ResourceVersion == pod.Metadata.ResourceVersion)
        {
            return [];
        }

        var labelsChanged = !LabelSets.Equal(old.Metadata.Labels, pod.Metadata.Labels) || old.Spec?.Hostname != pod.Spec?.Hostname || old.Spec?.Subdomain != pod.Spec?.Subdomain;
        var podChanged = EndpointChanged(old, pod);
        if (!labelsChanged)
        {
            return podChanged ? Selecting(services, pod.Metadata.NamespaceProperty, pod.Metadata.Labels) : [];
        }

        var now = Selecting(services, pod.Metadata.NamespaceProperty, pod.Metadata.Labels);
        var before = Selecting(services, old.Metadata.NamespaceProperty, old.Metadata.Labels);
        if (podChanged)
        {
            now.UnionWith(before);
        }
        else
        {
            now.SymmetricExceptWith(before);
        }

        return now;
    }

    /// <summary>The pod events both controllers react to: the Services a pod joins, leaves or changes in.</summary>
    public static ResourceEventHandler<V1Pod> Handler(Lister<V1Service> services, Action<string> enqueue)
    {
        void Added(V1Pod pod)
        {
            foreach (var key in Selecting(services, pod.Metadata.NamespaceProperty, pod.Metadata.Labels))
            {
                enqueue(key);
            }
        }

        return new ResourceEventHandler<V1Pod>
        {
            OnAdd = (pod, _) => Added(pod),
            OnUpdate = (old, pod) =>
            {
                foreach (var key in ToUpdateOnPodChange(services, old, pod))
                {
                    enqueue(key);
                }
            },
            OnDelete = Added,
        };
    }

    /// <summary>A change an endpoint shows: deletion started, readiness, or IPs.</summary>
    private static bool EndpointChanged(V1Pod old, V1Pod pod) =>
        old.Metadata.DeletionTimestamp != pod.Metadata.DeletionTimestamp ||
        Pods.IsReady(old) != Pods.IsReady(pod) ||
        !(old.Status?.PodIPs ?? []).Select(i => i.Ip).SequenceEqual((pod.Status?.PodIPs ?? []).Select(i => i.Ip), StringComparer.Ordinal) ||
        old.Status?.PodIP != pod.Status?.PodIP;
}
