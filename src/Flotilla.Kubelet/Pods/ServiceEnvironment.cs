using System.Globalization;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Upstream's service environment variables (envvars.FromServices): for the <c>kubernetes</c> Service of
/// <c>default</c>, and with <c>enableServiceLinks</c> every Service of the pod's namespace that has a cluster IP,
/// <c>NAME_SERVICE_HOST</c>, <c>NAME_SERVICE_PORT[_PORTNAME]</c> and the Docker-link variables <c>NAME_PORT...</c>.
/// </summary>
public static class ServiceEnvironment
{
    public static Dictionary<string, string> For(V1Pod pod, IEnumerable<V1Service> services)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(services);
        var links = pod.Spec.EnableServiceLinks != false;
        var chosen = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            var ip = service.Spec?.ClusterIP;
            if (string.IsNullOrEmpty(ip) || ip == "None")
            {
                continue;
            }

            var ns = service.Metadata.NamespaceProperty;
            if (ns == "default" && service.Metadata.Name == "kubernetes" && !chosen.ContainsKey("kubernetes"))
            {
                chosen["kubernetes"] = service;
            }

            if (links && ns == pod.Metadata.NamespaceProperty)
            {
                chosen[service.Metadata.Name] = service;
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in chosen.Values)
        {
            var name = Name(service.Metadata.Name);
            var ip = service.Spec.ClusterIP;
            var ports = service.Spec.Ports ?? [];
            if (ports.Count == 0)
            {
                continue;
            }

            env[name + "_SERVICE_HOST"] = ip;
            env[name + "_SERVICE_PORT"] = Port(ports[0]);
            foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
            {
                env[$"{name}_SERVICE_PORT_{Name(port.Name)}"] = Port(port);
            }

            var host = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
            var first = ports[0];
            env[name + "_PORT"] = $"{Protocol(first).ToLowerInvariant()}://{host}:{Port(first)}";
            foreach (var port in ports)
            {
                var protocol = Protocol(port);
                var prefix = $"{name}_PORT_{Port(port)}_{protocol.ToUpperInvariant()}";
                env[prefix] = $"{protocol.ToLowerInvariant()}://{host}:{Port(port)}";
                env[prefix + "_PROTO"] = protocol.ToLowerInvariant();
                env[prefix + "_PORT"] = Port(port);
                env[prefix + "_ADDR"] = ip;
            }
        }

        return env;
    }

    private static string Name(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static string Port(V1ServicePort port) => port.Port.ToString(CultureInfo.InvariantCulture);

    private static string Protocol(V1ServicePort port) => string.IsNullOrEmpty(port.Protocol) ? "TCP" : port.Protocol;
}
