using System.Net;
using System.Net.Sockets;
using Flotilla.Api.Services;
using k8s.Models;

namespace Flotilla.Dns.Records;

/// <summary>
/// The cluster's DNS zone as the Kubernetes DNS specification (schema 1.1.0) defines it, indexed from Services,
/// EndpointSlices and Pods for answers from memory: <c>&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c> (the ClusterIP; a
/// headless service's ready endpoints; an ExternalName's CNAME), <c>&lt;hostname&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c>
/// for a headless service's endpoints, SRV at <c>_&lt;port&gt;._&lt;proto&gt;.&lt;svc&gt;.&lt;ns&gt;.svc.&lt;zone&gt;</c> for
/// named ports, <c>&lt;a-b-c-d&gt;.&lt;ns&gt;.pod.&lt;zone&gt;</c>, PTR for ClusterIPs, endpoints and pods, and
/// <c>dns-version.&lt;zone&gt;</c>. Names are matched without regard to case.
/// </summary>
public sealed class ClusterRecords
{
    public const string SchemaVersion = "1.1.0";

    private readonly string _zone;
    private readonly Dictionary<string, Service> _services;
    private readonly HashSet<string> _namespaces;
    private readonly Dictionary<string, string> _reverse;

    private ClusterRecords(string zone, Dictionary<string, Service> services, Dictionary<string, string> reverse)
    {
        _zone = zone;
        _services = services;
        _namespaces = [.. services.Values.Select(s => s.Namespace)];
        _reverse = reverse;
    }

    public static ClusterRecords Build(string zone, IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentNullException.ThrowIfNull(pods);
        zone = zone.TrimEnd('.').ToLowerInvariant();
        var bySlice = slices
            .Where(s => s.AddressType == "IPv4" && s.Metadata?.Labels?.ContainsKey(ServiceLabels.ServiceName) == true)
            .ToLookup(s => $"{s.Metadata.Labels[ServiceLabels.ServiceName]}.{s.Metadata.NamespaceProperty}".ToLowerInvariant());
        var reverse = new Dictionary<string, string>(StringComparer.Ordinal);

        // Pods first: an endpoint's or a service's name replaces a pod's.
        foreach (var pod in pods)
        {
            if (pod.Status?.PodIP is { } ip && IsIPv4(ip) && pod.Spec?.HostNetwork != true)
            {
                reverse[ip] = $"{ip.Replace('.', '-')}.{pod.Metadata.NamespaceProperty}.pod.{zone}".ToLowerInvariant();
            }
        }

        var index = new Dictionary<string, Service>(StringComparer.Ordinal);
        foreach (var service in services.Where(s => s.Metadata?.Name is not null && s.Spec is not null))
        {
            var key = $"{service.Metadata.Name}.{service.Metadata.NamespaceProperty ?? "default"}".ToLowerInvariant();
            var fqdn = $"{key}.svc.{zone}";
            var clusterIp = service.Spec.ClusterIP is { } c && IsIPv4(c) ? c : null;
            var endpoints = clusterIp is null && service.Spec.Type != "ExternalName" ? Endpoints(bySlice[key], fqdn) : [];
            index[key] = new Service(
                service.Metadata.NamespaceProperty?.ToLowerInvariant() ?? "default",
                fqdn,
                clusterIp,
                service.Spec.Type == "ExternalName" ? service.Spec.ExternalName?.TrimEnd('.').ToLowerInvariant() : null,
                [.. (service.Spec.Ports ?? []).Where(p => !string.IsNullOrEmpty(p.Name)).Select(p => new Port(p.Name.ToLowerInvariant(), (p.Protocol ?? "TCP").ToLowerInvariant(), p.Port))],
                endpoints);
            foreach (var endpoint in endpoints)
            {
                reverse[endpoint.Ip] = endpoint.Name;
            }

            if (clusterIp is not null)
            {
                reverse[clusterIp] = fqdn;
            }
        }

        return new ClusterRecords(zone, index, reverse);
    }

    /// <summary>The answer to <paramref name="type"/> at <paramref name="name"/> (a trailing dot or none).</summary>
    public DnsAnswer Lookup(string name, DnsType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        name = name.TrimEnd('.').ToLowerInvariant();
        if (name.EndsWith(".in-addr.arpa", StringComparison.Ordinal))
        {
            return Reverse(name, type);
        }

        if (name == "dns-version." + _zone)
        {
            return Answer(type, new DnsRecord(name, DnsType.Txt, SchemaVersion));
        }

        if (name == _zone)
        {
            return DnsAnswer.Empty;
        }

        if (!name.EndsWith("." + _zone, StringComparison.Ordinal))
        {
            return DnsAnswer.Forward;
        }

        var labels = name[..^(_zone.Length + 1)].Split('.');
        return labels[^1] switch
        {
            "svc" => ServiceName(name, labels, type),
            "pod" => PodName(name, labels, type),
            _ => DnsAnswer.NameError,
        };
    }

    private DnsAnswer ServiceName(string name, string[] labels, DnsType type)
    {
        switch (labels.Length)
        {
            case 1:
                return DnsAnswer.Empty;
            case 2:
                return _namespaces.Contains(labels[0]) ? DnsAnswer.Empty : DnsAnswer.NameError;
            case 3 when _services.TryGetValue($"{labels[0]}.{labels[1]}", out var service):
                if (service.ExternalName is { } target)
                {
                    return new DnsAnswer(DnsOutcome.Answer, [new DnsRecord(name, DnsType.Cname, target)]);
                }

                if (service.ClusterIp is { } ip)
                {
                    return Answer(type, new DnsRecord(name, DnsType.A, ip));
                }

                return service.Endpoints.Count == 0
                    ? DnsAnswer.NameError
                    : Answer(type, [.. service.Endpoints.Select(e => new DnsRecord(name, DnsType.A, e.Ip)).DistinctBy(r => r.Value)]);
            case 4 when _services.TryGetValue($"{labels[1]}.{labels[2]}", out var headless) && headless.Endpoints.FirstOrDefault(e => e.Name == name) is { } endpoint:
                return Answer(type, new DnsRecord(name, DnsType.A, endpoint.Ip));
            case 5 when labels[0].StartsWith('_') && labels[1].StartsWith('_') && _services.TryGetValue($"{labels[2]}.{labels[3]}", out var named):
                return Srv(name, named, labels[0][1..], labels[1][1..], type);
            default:
                return DnsAnswer.NameError;
        }
    }

    /// <summary>A named port's SRV records: the service's name for a ClusterIP, each ready endpoint's for a headless service.</summary>
    private static DnsAnswer Srv(string name, Service service, string port, string protocol, DnsType type)
    {
        var wanted = service.Ports.FirstOrDefault(p => p.Name == port && p.Protocol == protocol);
        if (wanted is null || service.ExternalName is not null)
        {
            return DnsAnswer.NameError;
        }

        if (service.ClusterIp is not null)
        {
            return Answer(type, new DnsRecord(name, DnsType.Srv, service.Name, 0, 100, wanted.Number));
        }

        var targets = service.Endpoints.Where(e => e.Ports.Any(p => p.Name == port && p.Protocol == protocol)).ToList();
        return targets.Count == 0
            ? DnsAnswer.NameError
            : Answer(type, [.. targets.Select(e => new DnsRecord(name, DnsType.Srv, e.Name, 0, 100 / targets.Count, e.Ports.First(p => p.Name == port && p.Protocol == protocol).Number))]);
    }

    /// <summary><c>a-b-c-d.ns.pod.zone</c>: the address the name spells (upstream's "pods insecure": not checked against pods).</summary>
    private static DnsAnswer PodName(string name, string[] labels, DnsType type) =>
        labels.Length == 3 && labels[0].Split('-') is { Length: 4 } octets && octets.All(o => o.Length is > 0 and <= 3 && o.All(char.IsAsciiDigit) && int.Parse(o, System.Globalization.CultureInfo.InvariantCulture) <= 255)
            ? Answer(type, new DnsRecord(name, DnsType.A, string.Join('.', octets.Select(o => int.Parse(o, System.Globalization.CultureInfo.InvariantCulture)))))
            : DnsAnswer.NameError;

    private DnsAnswer Reverse(string name, DnsType type)
    {
        var octets = name[..^".in-addr.arpa".Length].Split('.');
        if (octets.Length != 4)
        {
            return DnsAnswer.Forward;
        }

        var ip = string.Join('.', octets.Reverse());
        return _reverse.TryGetValue(ip, out var target) ? Answer(type, new DnsRecord(name, DnsType.Ptr, target)) : DnsAnswer.Forward;
    }

    private static DnsAnswer Answer(DnsType type, params DnsRecord[] records) =>
        new(DnsOutcome.Answer, [.. records.Where(r => type == DnsType.Any || r.Type == type)]);

    /// <summary>A headless service's ready endpoints, named by their hostname or their dashed address.</summary>
    private static List<Endpoint> Endpoints(IEnumerable<V1EndpointSlice> slices, string service)
    {
        var endpoints = new List<Endpoint>();
        foreach (var slice in slices)
        {
            var ports = (slice.Ports ?? []).Where(p => !string.IsNullOrEmpty(p.Name) && p.Port is not null).Select(p => new Port(p.Name.ToLowerInvariant(), (p.Protocol ?? "TCP").ToLowerInvariant(), p.Port!.Value)).ToList();
            foreach (var endpoint in (slice.Endpoints ?? []).Where(e => e.Conditions?.Ready ?? true))
            {
                foreach (var ip in (endpoint.Addresses ?? []).Where(IsIPv4))
                {
                    var host = endpoint.Hostname?.ToLowerInvariant() ?? ip.Replace('.', '-');
                    endpoints.Add(new Endpoint(ip, $"{host}.{service}", ports));
                }
            }
        }

        return [.. endpoints.OrderBy(e => e.Ip, StringComparer.Ordinal)];
    }

    private static bool IsIPv4(string ip) => IPAddress.TryParse(ip, out var address) && address.AddressFamily == AddressFamily.InterNetwork;

    private sealed record Service(string Namespace, string Name, string? ClusterIp, string? ExternalName, IReadOnlyList<Port> Ports, IReadOnlyList<Endpoint> Endpoints);

    private sealed record Port(string Name, string Protocol, int Number);

    private sealed record Endpoint(string Ip, string Name, IReadOnlyList<Port> Ports);
}
