using System.Net;
using System.Net.Sockets;
using Flotilla.Api.Services;
using k8s.Models;

namespace Flotilla.Ingress.Routing;

/// <summary>
/// The routing table of this controller's Ingresses, resolved against Services and EndpointSlices. A request's host
/// picks the rules of that exact host, else of a matching wildcard (<c>*.example.com</c> covers one label), else the
/// rules without a host; among their paths the longest match wins, Exact before Prefix at equal length, the oldest
/// Ingress on a tie. A request no rule matches goes to the oldest Ingress's <c>defaultBackend</c>, or gets 404.
/// </summary>
public sealed class IngressRoutes
{
    private readonly Dictionary<string, List<PathRule>> _exact;
    private readonly Dictionary<string, List<PathRule>> _wildcard;
    private readonly List<PathRule> _anyHost;
    private readonly Backend? _default;

    /// <param name="wildcard">By the suffix after the <c>*</c> (<c>.example.com</c>).</param>
    private IngressRoutes(Dictionary<string, List<PathRule>> exact, Dictionary<string, List<PathRule>> wildcard, List<PathRule> anyHost, Backend? defaultBackend)
    {
        _exact = exact;
        _wildcard = wildcard;
        _anyHost = anyHost;
        _default = defaultBackend;
    }

    /// <summary>Whether <paramref name="ingress"/> is this controller's: its class, or no class at all while its class is the default.</summary>
    public static bool IsOurs(V1Ingress ingress, string className, bool classIsDefault)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        if (ingress.Spec?.IngressClassName is { } name)
        {
            return name == className;
        }

        return ingress.Metadata?.Annotations?.TryGetValue("kubernetes.io/ingress.class", out var annotated) == true ? annotated == className : classIsDefault;
    }

    /// <param name="ingresses">This controller's Ingresses only.</param>
    public static IngressRoutes Build(IEnumerable<V1Ingress> ingresses, IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(ingresses);
        var byName = services.Where(s => s.Metadata?.Name is not null).ToDictionary(s => (s.Metadata.NamespaceProperty ?? "default", s.Metadata.Name));
        var slicesOf = slices
            .Where(s => s.AddressType == "IPv4" && s.Metadata?.Labels?.ContainsKey(ServiceLabels.ServiceName) == true)
            .ToLookup(s => (s.Metadata.NamespaceProperty ?? "default", s.Metadata.Labels[ServiceLabels.ServiceName]));
        var exact = new Dictionary<string, List<PathRule>>(StringComparer.Ordinal);
        var wildcard = new Dictionary<string, List<PathRule>>(StringComparer.Ordinal);
        var anyHost = new List<PathRule>();
        Backend? defaultBackend = null;
        var age = 0;
        foreach (var ingress in Oldest(ingresses))
        {
            var ns = ingress.Metadata.NamespaceProperty ?? "default";
            Backend Resolve(V1IngressBackend backend) => ResolveBackend(ns, backend, byName, slicesOf);
            if (defaultBackend is null && ingress.Spec?.DefaultBackend is { } fallback)
            {
                defaultBackend = Resolve(fallback);
            }

            foreach (var rule in ingress.Spec?.Rules ?? [])
            {
                var host = rule.Host?.ToLowerInvariant();
                var rules = string.IsNullOrEmpty(host) ? anyHost
                    : host.StartsWith("*.", StringComparison.Ordinal) ? RulesOf(wildcard, host[1..])
                    : RulesOf(exact, host);

                foreach (var path in rule.Http?.Paths ?? [])
                {
                    if (path.Backend is not null)
                    {
                        rules.Add(new PathRule(path.Path ?? "/", path.PathType ?? "Prefix", age, Resolve(path.Backend)));
                    }
                }
            }

            age++;
        }

        return new IngressRoutes(exact, wildcard, anyHost, defaultBackend);
    }

    /// <summary>Where a request for <paramref name="host"/> (port and case ignored) and <paramref name="path"/> goes; null is 404.</summary>
    public Backend? Route(string? host, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        host = Host(host);
        var dot = host?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        var rules = host is not null && _exact.TryGetValue(host, out var exact) ? exact
            : dot > 0 && _wildcard.TryGetValue(host![dot..], out var wild) ? wild
            : _anyHost;
        var best = rules
            .Where(r => PathMatch.Matches(r.PathType, r.Path, path))
            .OrderByDescending(r => r.PathType == "Exact" ? r.Path.Length : r.Path.TrimEnd('/').Length)
            .ThenBy(r => r.PathType == "Exact" ? 0 : 1)
            .ThenBy(r => r.Age)
            .FirstOrDefault();
        return best?.Backend ?? _default;
    }

    /// <summary>A Host header's name: lower-case, without its port or a trailing dot (IPv6 literals keep their brackets).</summary>
    internal static string? Host(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        host = host.ToLowerInvariant();
        var colon = host.LastIndexOf(':');
        host = colon > 0 && !host.EndsWith(']') && host.IndexOf(':', StringComparison.Ordinal) == colon ? host[..colon] : host;
        return host.TrimEnd('.');
    }

    private static List<PathRule> RulesOf(Dictionary<string, List<PathRule>> hosts, string key)
    {
        if (!hosts.TryGetValue(key, out var rules))
        {
            hosts[key] = rules = [];
        }

        return rules;
    }

    internal static IEnumerable<V1Ingress> Oldest(IEnumerable<V1Ingress> ingresses) =>
        ingresses
            .OrderBy(i => i.Metadata?.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(i => i.Metadata?.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(i => i.Metadata?.Name, StringComparer.Ordinal);

    /// <summary>A backend's Service port and its ready endpoints; a missing Service, port or ExternalName gives none (503).</summary>
    private static Backend ResolveBackend(string ns, V1IngressBackend backend, Dictionary<(string, string), V1Service> services, ILookup<(string, string), V1EndpointSlice> slices)
    {
        var name = backend.Service?.Name ?? string.Empty;
        var wanted = backend.Service?.Port;
        var display = $"{ns}/{name}:{wanted?.Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? wanted?.Name}";
        if (!services.TryGetValue((ns, name), out var service) || service.Spec?.Type == "ExternalName")
        {
            return new Backend(display, []);
        }

        var port = (service.Spec?.Ports ?? []).FirstOrDefault(p => (p.Protocol ?? "TCP") == "TCP" && ((wanted?.Number is { } n && p.Port == n) || (wanted?.Name is { Length: > 0 } portName && p.Name == portName)));
        if (port is null)
        {
            return new Backend(display, []);
        }

        var endpoints = new List<string>();
        foreach (var slice in slices[(ns, name)])
        {
            var slicePort = (slice.Ports ?? []).FirstOrDefault(p => (p.Name ?? string.Empty) == (port.Name ?? string.Empty) && (p.Protocol ?? "TCP") == "TCP");
            if (slicePort?.Port is not { } number)
            {
                continue;
            }

            foreach (var endpoint in (slice.Endpoints ?? []).Where(e => e.Conditions?.Ready ?? true))
            {
                endpoints.AddRange((endpoint.Addresses ?? []).Where(a => IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork).Select(a => $"{a}:{number}"));
            }
        }

        return new Backend(display, [.. endpoints.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private sealed record PathRule(string Path, string PathType, int Age, Backend Backend);
}
