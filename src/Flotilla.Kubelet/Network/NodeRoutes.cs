using System.Net;
using System.Text.Json;
using Flotilla.Client.Informers;
using Flotilla.Client.WorkQueue;
using Flotilla.Kubelet.Node;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Network;

/// <summary>
/// flannel's backends: every other node's pod subnet (<c>spec.podCIDR</c>) is routed so pods reach pods on other
/// nodes with their own addresses. <see cref="HostGw"/> (the default) routes it via that node's InternalIP (nodes
/// must share one L2 segment); <see cref="Vxlan"/> routes it through the <see cref="VxlanDevice"/>, to the peer's VTEP
/// address, which each node publishes on its Node in flannel's annotations. The routes carry their own protocol
/// (<see cref="Protocol"/>), so the ones this machine no longer wants — a node gone, its subnet or address changed, a
/// route left from an earlier run — are found and removed. The host of <c>up</c>'s nodes (no node of its own) routes
/// host-gw in either case: it shares their segment.
/// </summary>
public sealed partial class NodeRoutes(Lister<V1Node> nodes, string? self, string backend, IKubernetes? nodeClient, ILogger log)
{
    /// <summary>The <c>proto</c> of Flotilla's routes (unused by the kernel and the common routing daemons).</summary>
    public const string Protocol = "144";

    public const string HostGw = "host-gw";
    public const string Vxlan = "vxlan";

    // flannel's Node annotations, so its tools read ours.
    public const string BackendTypeAnnotation = "flannel.alpha.coreos.com/backend-type";
    public const string BackendDataAnnotation = "flannel.alpha.coreos.com/backend-data";
    public const string PublicIpAnnotation = "flannel.alpha.coreos.com/public-ip";

    /// <param name="self">This node (null: the host of <c>up</c>'s nodes, which is none of them).</param>
    /// <param name="backend"><see cref="HostGw"/> or <see cref="Vxlan"/>.</param>
    /// <param name="nodeClient">The node's own client (<see cref="Vxlan"/>: it publishes its VTEP on its Node); null: <paramref name="client"/>.</param>
    public static async Task RunAsync(IKubernetes client, string? self, string backend, IKubernetes? nodeClient, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logs);
        await using var informers = new SharedInformerFactory(client, time, logs);
        var informer = informers.Informer<V1Node>();
        var routes = new NodeRoutes(informer.Lister, self, backend, nodeClient ?? client, logs.CreateLogger("Flotilla.NodeRoutes"));
        using var queue = new WorkQueue<string>("node_routes", time);
        informer.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            OnAdd = (_, _) => queue.Add(string.Empty),
            OnUpdate = (old, now) =>
            {
                if (old.Spec?.PodCIDR != now.Spec?.PodCIDR || InternalIp(old) != InternalIp(now) || Annotation(old, BackendDataAnnotation) != Annotation(now, BackendDataAnnotation))
                {
                    queue.Add(string.Empty);
                }
            },
            OnDelete = _ => queue.Add(string.Empty),
        });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        queue.Add(string.Empty);
        await new ControllerLoop("node-routes", queue, (_, ct) => Task.Run(() => routes.SyncAsync(ct), ct), logs.CreateLogger("Flotilla.NodeRoutes")).RunAsync(1, cancellationToken);
    }

    /// <summary>Makes this machine's Flotilla routes (and VXLAN peers) what the nodes call for.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var all = nodes.List();
        Dictionary<string, NodeRoute> wanted;
        if (backend == Vxlan && self is not null)
        {
            if (await VxlanAsync(all, cancellationToken) is not { } peers)
            {
                return;
            }

            wanted = peers.ToDictionary(p => p.Cidr, p => new NodeRoute(p.Vtep, VxlanDevice.Name), StringComparer.Ordinal);
        }
        else
        {
            wanted = Wanted(all, self).ToDictionary(w => w.Key, w => new NodeRoute(w.Value, null), StringComparer.Ordinal);
        }

        var current = Current();
        foreach (var (cidr, route) in wanted)
        {
            if (current.GetValueOrDefault(cidr) is { } now && now.Via == route.Via && (route.Device is null || now.Device == route.Device))
            {
                continue;
            }

            string[] args = route.Device is null
                ? ["-4", "route", "replace", cidr, "via", route.Via, "proto", Protocol]
                : ["-4", "route", "replace", cidr, "via", route.Via, "dev", route.Device, "onlink", "proto", Protocol];
            var (code, output) = HostCommand.Run("ip", args);
            if (code != 0)
            {
                throw new NetworkSetupException($"ip route replace {cidr} via {route.Via}: {output.Trim()}");
            }

            LogRouted(log, cidr, route.Via);
        }

        foreach (var (cidr, route) in current.Where(c => !wanted.ContainsKey(c.Key)))
        {
            HostCommand.Run("ip", "-4", "route", "del", cidr, "proto", Protocol);
            LogRemoved(log, cidr, route.Via);
        }
    }

    /// <summary>
    /// This node's VXLAN device and its Node's annotations, then the peers (the other nodes that published theirs);
    /// null while this node has no subnet or address yet.
    /// </summary>
    private async Task<IReadOnlyList<VxlanPeer>?> VxlanAsync(IReadOnlyList<V1Node> all, CancellationToken cancellationToken)
    {
        if (all.FirstOrDefault(n => n.Metadata.Name == self) is not { Spec.PodCIDR: { Length: > 0 } cidr } me || InternalIp(me) is not { } ip)
        {
            return null;
        }

        var mac = VxlanDevice.Ensure(ip, VxlanDevice.VtepAddress(cidr));
        var data = BackendData(mac);
        if (Annotation(me, BackendDataAnnotation) != data || Annotation(me, PublicIpAnnotation) != ip || Annotation(me, BackendTypeAnnotation) != Vxlan)
        {
            var patch = new { metadata = new { annotations = new Dictionary<string, string> { [BackendTypeAnnotation] = Vxlan, [BackendDataAnnotation] = data, [PublicIpAnnotation] = ip } } };
            await nodeClient!.CoreV1.PatchNodeAsync(new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch), self, cancellationToken: cancellationToken);
            LogPublished(log, self!, mac, ip);
        }

        var peers = Peers(all, self!);
        VxlanDevice.SetPeers(peers);
        return peers;
    }

    /// <summary>flannel's backend data: <c>{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}</c>.</summary>
    public static string BackendData(string mac) => JsonSerializer.Serialize(new Dictionary<string, object> { ["VNI"] = VxlanDevice.Vni, ["VtepMAC"] = mac });

    /// <summary>Every node but <paramref name="self"/> that published a VXLAN VTEP and has a subnet.</summary>
    public static IReadOnlyList<VxlanPeer> Peers(IEnumerable<V1Node> nodes, string self)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var peers = new List<VxlanPeer>();
        foreach (var node in nodes.Where(n => n.Metadata.Name != self && n.Metadata.DeletionTimestamp is null))
        {
            if (node.Spec?.PodCIDR is { Length: > 0 } cidr && Annotation(node, BackendTypeAnnotation) == Vxlan &&
                Annotation(node, PublicIpAnnotation) is { } publicIp && IPAddress.TryParse(publicIp, out _) && VtepMac(Annotation(node, BackendDataAnnotation)) is { } mac)
            {
                peers.Add(new VxlanPeer(cidr, VxlanDevice.VtepAddress(cidr), mac, publicIp));
            }
        }

        return peers;
    }

    /// <summary>Pod subnet → next hop for every node but <paramref name="self"/> that has both (host-gw).</summary>
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

    /// <summary>This machine's routes of <see cref="Protocol"/>: destination → next hop and device.</summary>
    public static Dictionary<string, NodeRoute> Current()
    {
        var (code, output) = HostCommand.Run("ip", "-4", "route", "show", "proto", Protocol);
        if (code != 0)
        {
            throw new NetworkSetupException($"ip route show: {output.Trim()}");
        }

        return Parse(output);
    }

    /// <summary>Reads <c>ip route show</c>'s lines (<c>10.42.1.0/24 via 10.44.0.3 dev eth0 proto 144</c>).</summary>
    public static Dictionary<string, NodeRoute> Parse(string output)
    {
        var routes = new Dictionary<string, NodeRoute>(StringComparer.Ordinal);
        foreach (var line in (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var via = Array.IndexOf(words, "via");
            var dev = Array.IndexOf(words, "dev");
            if (words.Length > 0 && via > 0 && via + 1 < words.Length)
            {
                routes[words[0]] = new NodeRoute(words[via + 1], dev > 0 && dev + 1 < words.Length ? words[dev + 1] : null);
            }
        }

        return routes;
    }

    private static string? VtepMac(string? data)
    {
        try
        {
            if (data is null)
            {
                return null;
            }

            using var document = JsonDocument.Parse(data);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("VtepMAC", out var mac) && mac.ValueKind == JsonValueKind.String ? mac.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Annotation(V1Node node, string key) => node.Metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;

    private static string? InternalIp(V1Node node) =>
        node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP" && IPAddress.TryParse(a.Address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)?.Address;

    [LoggerMessage(Level = LogLevel.Information, Message = "route {Cidr} via {Via} (pods of another node)")]
    private static partial void LogRouted(ILogger log, string cidr, string via);

    [LoggerMessage(Level = LogLevel.Information, Message = "route {Cidr} via {Via} removed")]
    private static partial void LogRemoved(ILogger log, string cidr, string via);

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: VXLAN VTEP {Mac} on {Address} published")]
    private static partial void LogPublished(ILogger log, string node, string mac, string address);
}

/// <summary>A route of Flotilla's: its next hop, and its device when it names one (VXLAN).</summary>
public sealed record NodeRoute(string Via, string? Device);
