using Flotilla.Proxy.Model;

namespace Flotilla.Proxy.Iptables;

/// <summary>
/// The UDP conntrack entries a sync leaves stale (upstream's conntrack cleanup): UDP has no connection to end, so
/// packets keep following an entry DNATed to an endpoint that is gone, or one made when the service had no endpoint
/// at all, until it is deleted. Run with Debian's <c>conntrack</c> after the rules are in.
/// </summary>
public static class StaleConntrack
{
    /// <summary>The <c>conntrack</c> argument lists for going from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static IReadOnlyList<string[]> Commands(ProxyState? before, ProxyState after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var old = Udp(before);
        var now = Udp(after);
        var commands = new List<string[]>();
        foreach (var (name, (port, endpoints)) in now)
        {
            var previous = old.GetValueOrDefault(name);
            var destinations = Destinations(port);
            if (endpoints.Count > 0 && previous.Endpoints is not { Count: > 0 })
            {
                // Newly served: whatever was refused or dropped before may be remembered.
                commands.AddRange(destinations.Select(ip => new[] { "-D", "--orig-dst", ip, "-p", "udp" }));
                if (port.NodePort > 0)
                {
                    commands.Add(["-D", "-p", "udp", "--dport", Port(port.NodePort)]);
                }
            }

            foreach (var gone in previous.Endpoints?.Except(endpoints) ?? [])
            {
                commands.AddRange(destinations.Select(ip => new[] { "-D", "--orig-dst", ip, "--dst-nat", gone, "-p", "udp" }));
                if (port.NodePort > 0)
                {
                    commands.Add(["-D", "-p", "udp", "--dport", Port(port.NodePort), "--dst-nat", gone]);
                }
            }
        }

        foreach (var (name, (port, _)) in old.Where(o => !now.ContainsKey(o.Key)))
        {
            commands.Add(["-D", "--orig-dst", port.ClusterIp, "-p", "udp"]);
        }

        return commands;
    }

    private static Dictionary<ServicePortName, (ServicePort Port, HashSet<string> Endpoints)> Udp(ProxyState? state) =>
        (state?.Ports ?? [])
            .Where(p => p.Port.Protocol == "udp")
            .ToDictionary(p => p.Port.Name, p => (p.Port, EndpointCategories.Of(p.Port, p.Endpoints).AllReachable.Select(e => e.Ip).ToHashSet(StringComparer.Ordinal)));

    private static List<string> Destinations(ServicePort port) => [port.ClusterIp, .. port.ExternalIps, .. port.LoadBalancerIps];

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
