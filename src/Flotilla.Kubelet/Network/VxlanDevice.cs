using System.Net;
using Flotilla.Kubelet.Node;

namespace Flotilla.Kubelet.Network;

/// <summary>
/// flannel's vxlan backend on this node (../shared/notes/netns-nodes.md): the VXLAN device <see cref="Name"/> (VNI 1,
/// UDP 8472, no learning) with the node's address as its local end and its pod subnet's first address as the VTEP
/// address (/32), MTU <see cref="Mtu"/>; per peer node a permanent neighbour entry (its VTEP address → its VTEP MAC)
/// and a forwarding entry (its VTEP MAC → its node address), so pod traffic to another node is encapsulated to it.
/// </summary>
public static class VxlanDevice
{
    public const string Name = "flotilla.1";
    public const int Vni = 1;
    public const int Port = 8472;

    /// <summary>1500 less the VXLAN encapsulation (50 bytes): pods' interfaces use it too.</summary>
    public const int Mtu = 1450;

    /// <summary>The device, up, with <paramref name="local"/> as its local end and <paramref name="vtep"/>/32; returns its MAC.</summary>
    public static string Ensure(string local, string vtep)
    {
        var (code, details) = HostCommand.Run("ip", "-d", "-o", "link", "show", Name);
        if (code == 0 && !details.Contains($" local {local} ", StringComparison.Ordinal))
        {
            // The node's address changed: the device is made again for the new one.
            Must("ip", "link", "delete", Name);
            code = 1;
        }

        if (code != 0)
        {
            Must("ip", "link", "add", Name, "type", "vxlan", "id", Vni.ToString(System.Globalization.CultureInfo.InvariantCulture), "local", local,
                "dstport", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "nolearning");
        }

        Must("ip", "link", "set", Name, "mtu", Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture), "up");
        Must("ip", "addr", "replace", $"{vtep}/32", "dev", Name);
        return Mac(Must("ip", "-o", "link", "show", Name));
    }

    /// <summary>Makes the neighbour and forwarding entries those of <paramref name="peers"/>, removing the others.</summary>
    public static void SetPeers(IReadOnlyList<VxlanPeer> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        foreach (var peer in peers)
        {
            Must("ip", "neigh", "replace", peer.Vtep, "lladdr", peer.Mac, "dev", Name, "nud", "permanent");
            Must("bridge", "fdb", "replace", peer.Mac, "dev", Name, "dst", peer.PublicIp, "self", "permanent");
        }

        foreach (var (ip, _) in Neighbours(Must("ip", "neigh", "show", "dev", Name)).Where(n => !peers.Any(p => p.Vtep == n.Ip)))
        {
            HostCommand.Run("ip", "neigh", "del", ip, "dev", Name);
        }

        foreach (var (mac, dst) in Forwarding(Must("bridge", "fdb", "show", "dev", Name)).Where(f => !peers.Any(p => p.Mac == f.Mac && p.PublicIp == f.Dst)))
        {
            HostCommand.Run("bridge", "fdb", "del", mac, "dev", Name, "dst", dst, "self");
        }
    }

    /// <summary>Takes the device away (<c>reset</c>); gone already is fine.</summary>
    public static void Remove() => HostCommand.Run("ip", "link", "delete", Name);

    /// <summary>The VTEP address of a node: the first address of its pod subnet (flannel's choice).</summary>
    public static string VtepAddress(string podCidr)
    {
        ArgumentNullException.ThrowIfNull(podCidr);
        return IPNetwork.Parse(podCidr).BaseAddress.ToString();
    }

    /// <summary>The MAC of <c>ip -o link show</c>'s line (<c>... link/ether aa:bb:cc:dd:ee:ff brd ...</c>).</summary>
    public static string Mac(string link)
    {
        var words = (link ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ether = Array.IndexOf(words, "link/ether");
        return ether >= 0 && ether + 1 < words.Length ? words[ether + 1] : throw new NetworkSetupException($"no MAC address in: {link}");
    }

    /// <summary><c>ip neigh show dev D</c>'s entries (<c>10.42.1.0 lladdr aa:.. PERMANENT</c>).</summary>
    public static IEnumerable<(string Ip, string Mac)> Neighbours(string output) =>
        Lines(output).Select(w => (w[0], Array.IndexOf(w, "lladdr") is var i and >= 0 && i + 1 < w.Length ? w[i + 1] : string.Empty));

    /// <summary><c>bridge fdb show dev D</c>'s entries with a destination (<c>aa:.. dst 10.44.0.3 self permanent</c>).</summary>
    public static IEnumerable<(string Mac, string Dst)> Forwarding(string output) =>
        Lines(output).Where(w => Array.IndexOf(w, "dst") is var i and >= 0 && i + 1 < w.Length).Select(w => (w[0], w[Array.IndexOf(w, "dst") + 1]));

    private static IEnumerable<string[]> Lines(string output) =>
        (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string Must(string file, params string[] args)
    {
        var (code, output) = HostCommand.Run(file, args);
        return code == 0 ? output : throw new NetworkSetupException($"{file} {string.Join(' ', args)}: {output.Trim()}");
    }
}

/// <summary>Another node as a VXLAN peer: its pod subnet, VTEP address and MAC, and its node address (the outer destination).</summary>
public sealed record VxlanPeer(string Cidr, string Vtep, string Mac, string PublicIp);
