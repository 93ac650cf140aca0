using System.Net;
using Flotilla.Kubelet.Network;
using Flotilla.Kubelet.Node;

namespace Flotilla.Cli;

/// <summary>
/// Several real nodes on one machine, as kind and k3d make them with containers: each node is a network namespace
/// (<c>flotilla-node-i</c>) whose <c>eth0</c> is a veth on the host bridge <see cref="Bridge"/> (10.44.0.1/24 on the
/// host, node i at 10.44.0.(i+1)), with its default route to the host. The node's containerd, CNI bridge, pods,
/// service proxy rules and kubelet API live in its namespace; the host reaches every node (and, through the node
/// routes, every pod). Creating is idempotent (a restarted <c>up</c> finds its nodes); <see cref="Remove"/> undoes it.
/// </summary>
public static class NodeNetwork
{
    public const string Bridge = "flotilla-br";
    public const int PrefixLength = 24;
    public const int MaxNodes = 200;
    public const int MaxServers = 7;

    public static readonly IPAddress Gateway = IPAddress.Parse("10.44.0.1");

    public static string NodeName(int index) => $"node-{index}";

    public static string Namespace(string node) => $"flotilla-{node}";

    public static string NamespacePath(string node) => Path.Combine("/run/netns", Namespace(node));

    /// <summary>Node i's address (1-based): 10.44.0.(i+1).</summary>
    public static IPAddress Address(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxNodes);
        return new IPAddress([10, 44, 0, (byte)(index + 1)]);
    }

    /// <summary>
    /// API server i's address (1-based, <c>up --servers N</c>): 10.44.0.(240+i), a second address of the host on the
    /// bridge, so every server has its own address (the <c>kubernetes</c> Endpoints key by address) and every node reaches it.
    /// </summary>
    public static IPAddress ServerAddress(int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(index, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, MaxServers);
        return new IPAddress([10, 44, 0, (byte)(240 + index)]);
    }

    /// <summary>Puts <see cref="ServerAddress"/>(<paramref name="index"/>) on the bridge (gone with it).</summary>
    public static void AddServerAddress(int index) => Must("ip", "addr", "replace", $"{ServerAddress(index)}/{PrefixLength}", "dev", Bridge);

    /// <summary>The host end of node <paramref name="node"/>'s link (at most 15 characters, as Linux allows).</summary>
    public static string HostLink(string node) => $"flt-{node}";

    /// <summary>The host bridge with the gateway address, up.</summary>
    public static void CreateBridge()
    {
        if (!LinkExists(null, Bridge))
        {
            Must("ip", "link", "add", Bridge, "type", "bridge");
        }

        Must("ip", "addr", "replace", $"{Gateway}/{PrefixLength}", "dev", Bridge);
        Must("ip", "link", "set", Bridge, "up");
    }

    /// <summary>Node <paramref name="index"/>'s namespace, its link on the bridge and its address, forwarding on.</summary>
    public static void CreateNode(int index)
    {
        var node = NodeName(index);
        var ns = Namespace(node);
        if (!File.Exists(NamespacePath(node)))
        {
            Must("ip", "netns", "add", ns);
        }

        if (!LinkExists(null, HostLink(node)))
        {
            Must("ip", "link", "add", HostLink(node), "type", "veth", "peer", "name", "eth0", "netns", ns);
        }

        Must("ip", "link", "set", HostLink(node), "master", Bridge, "up");
        Must("ip", "-n", ns, "addr", "replace", $"{Address(index)}/{PrefixLength}", "dev", "eth0");
        Must("ip", "-n", ns, "link", "set", "eth0", "up");
        Must("ip", "-n", ns, "link", "set", "lo", "up");
        Must("ip", "-n", ns, "route", "replace", "default", "via", Gateway.ToString());
        Must("nsenter", $"--net={NamespacePath(node)}", "sysctl", "-qw", "net.ipv4.ip_forward=1");
    }

    /// <summary>Takes a node's link and namespace away (the link first: deleting a namespace is asynchronous).</summary>
    public static void RemoveNode(string node)
    {
        HostCommand.Run("ip", "link", "delete", HostLink(node));
        HostCommand.Run("ip", "netns", "delete", Namespace(node));
    }

    /// <summary>The bridge, and with it the host's routes through it.</summary>
    public static void RemoveBridge() => HostCommand.Run("ip", "link", "delete", Bridge);

    private static bool LinkExists(string? ns, string link) =>
        (ns is null ? HostCommand.Run("ip", "link", "show", link) : HostCommand.Run("ip", "-n", ns, "link", "show", link)).Code == 0;

    private static void Must(string file, params string[] args)
    {
        var (code, output) = HostCommand.Run(file, args);
        if (code != 0)
        {
            throw new NetworkSetupException($"{file} {string.Join(' ', args)}: {output.Trim()}");
        }
    }
}
