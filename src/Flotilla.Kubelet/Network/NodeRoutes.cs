using System.Net;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Kubelet.Node;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Network;

/// <summary>
/// flannel's host-gw backend: every other node's pod subnet (<c>spec.podCIDR</c>) is routed via that node's
/// InternalIP, so pods reach pods on other nodes with their own addresses. The routes carry their own protocol
/// (<see cref="Protocol"/>), so the ones this machine no longer wants — a node gone, its subnet or address changed, a
/// route left from an earlier run — are found and removed. Nodes must share a link (one L2 segment).
/// </summary>
public sealed partial class NodeRoutes(Lister<V1Node> nodes, string? self, ILogger log)
{
    /// <summary>The <c>proto</c> of Flotilla's routes (unused by the kernel and the common routing daemons).</summary>
    public const string Protocol = "144";

    public static async Task RunAsync(IKubernetes client, string? self, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logs);
        await using var informers = new SharedInformerFactory(client, time, logs);
        var informer = informers.Informer<V1Node>();
        var routes = new NodeRoutes(informer.Lister, self, logs.CreateLogger("Flotilla.NodeRoutes"));
        using var queue = new WorkQueue<string>("node_routes", time);
        informer.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (_, _) => queue.Add(string.Empty),
            OnUpdate = (old, now) =>
            {
                if (old.Spec?.PodCIDR != now.Spec?.PodCIDR || InternalIp(old) != InternalIp(now))
                {
                    queue.Add(string.Empty);
                }
            },
            OnDelete = _ => queue.Add(string.Empty),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        queue.Add(string.Empty);
        await new ControllerLoop("node-routes", queue, (_, _) => Task.Run(routes.Sync), logs.CreateLogger("Flotilla.NodeRoutes")).RunAsync(1, cancellationToken);
    }

    /// <summary>Makes this machine's Flotilla routes what the nodes call for.</summary>
    public void Sync()
    {
        var wanted = Wanted(nodes.List(), self);
        var current = Current();
        foreach (var (cidr, via) in wanted)
        {
            if (current.GetValueOrDefault(cidr) == via)
            {
                continue;
            }

            var (code, output) = HostCommand.Run("ip", "-4", "route", "replace", cidr, "via", via, "proto", Protocol);
            if (code != 0)
            {
                throw new NetworkSetupException($"ip route replace {cidr} via {via}: {output.Trim()}");
            }

            LogRouted(log, cidr, via);
        }

        foreach (var (cidr, via) in current.Where(c => !wanted.ContainsKey(c.Key)))
        {
            HostCommand.Run("ip", "-4", "route", "del", cidr, "proto", Protocol);
            LogRemoved(log, cidr, via);
        }
    }

    /// <summary>Pod subnet → next hop for every node but <paramref name="self"/> that has both.</summary>
    public static Dictionary<string, string> Wanted(IEnumerable<V1Node> nodes, string? self)
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        var all = nodes.ToList();
        var own = all.FirstOrDefault(n => n.Metadata.Name == self) is { } me ? InternalIp(me) : null;

        // A node on this machine's own address or on loopback (hollow nodes, a node beside the server) is no next hop.
        foreach (var node in all.Where(n => n.Metadata.Name != self))
        {
            if (node.Spec?.PodCIDR is { Length: > 0 } cidr && InternalIp(node) is { } ip && ip != own &&
                !IPAddress.IsLoopback(IPAddress.Parse(ip)) && node.Metadata.DeletionTimestamp is null)
            {
                wanted[cidr] = ip;
            }
        }

        return wanted;
    }

    /// <summary>This machine's routes of <see cref="Protocol"/>: destination → next hop.</summary>
    public static Dictionary<string, string> Current()
    {
        var (code, output) = HostCommand.Run("ip", "-4", "route", "show", "proto", Protocol);
        if (code != 0)
        {
            throw new NetworkSetupException($"ip route show: {output.Trim()}");
        }

        return Parse(output);
    }

    /// <summary>Reads <c>ip route show</c>'s lines (<c>10.42.1.0/24 via 10.44.0.3 dev eth0 proto 144</c>).</summary>
    public static Dictionary<string, string> Parse(string output)
    {
        var routes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var via = Array.IndexOf(words, "via");
            if (words.Length > 0 && via > 0 && via + 1 < words.Length)
            {
                routes[words[0]] = words[via + 1];
            }
        }

        return routes;
    }

    private static string? InternalIp(V1Node node) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP" && IPAddress.TryParse(a.Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)?.Address;

    [LoggerMessage(Level = LogLevel.Information, Message = "route {Cidr} via {Via} (pods of another node)")]
    private static partial void LogRouted(ILogger log, string cidr, string via);

    [LoggerMessage(Level = LogLevel.Information, Message = "route {Cidr} via {Via} removed")]
    private static partial void LogRemoved(ILogger log, string cidr, string via);
}
