using Flotilla.Kubelet.Node;

namespace Flotilla.Kubelet.Network;

/// <summary>
/// Source NAT for the node's pods when they reach outside the cluster (flannel's rules): a pod's address is only
/// routable inside the cluster network, so traffic to any other address leaves with the node's; pod-to-pod traffic
/// keeps its addresses (Kubernetes' network model: no NAT between pods). A nat chain of its own per bridge
/// (<c>FLOTILLA-MASQ-&lt;bridge&gt;</c>, several nodes share a machine in tests), jumped to from POSTROUTING, rewritten
/// atomically by iptables-restore; <see cref="Remove"/> takes both away (<c>flotilla reset</c>).
/// </summary>
public sealed record PodMasquerade(string Bridge, string PodCidr, string ClusterCidr)
{
    private const string Multicast = "224.0.0.0/4";

    public string Chain { get; } = ChainOf(Bridge);

    /// <summary>The nat rules in iptables-restore's format; declaring the chain empties it first.</summary>
    public string Rules() =>
        $"""
        *nat
        :{Chain} - [0:0]
        -A {Chain} -s {PodCidr} -d {ClusterCidr} -m comment --comment "pod to pod: no NAT" -j RETURN
        -A {Chain} -s {PodCidr} ! -d {Multicast} -m comment --comment "pod leaving the cluster network" -j MASQUERADE --random-fully
        COMMIT

        """;

    /// <summary>Writes the chain and, once, POSTROUTING's jump to it.</summary>
    public void Apply()
    {
        Check(HostCommand.Pipe(Rules(), "iptables-restore", "-w", "--noflush"), "iptables-restore");
        if (HostCommand.Run("iptables", ["-w", "-t", "nat", "-C", "POSTROUTING", .. Jump(Chain)]).Code != 0)
        {
            Check(HostCommand.Run("iptables", ["-w", "-t", "nat", "-A", "POSTROUTING", .. Jump(Chain)]), "iptables");
        }
    }

    /// <summary>Removes the jump and the chain of <paramref name="bridge"/>'s pods, if there are any.</summary>
    public static void Remove(string bridge)
    {
        var chain = ChainOf(bridge);
        while (HostCommand.Run("iptables", ["-w", "-t", "nat", "-D", "POSTROUTING", .. Jump(chain)]).Code == 0)
        {
        }

        HostCommand.Run("iptables", "-w", "-t", "nat", "-F", chain);
        HostCommand.Run("iptables", "-w", "-t", "nat", "-X", chain);
    }

    /// <summary>iptables names hold 28 characters; a Linux interface name 15.</summary>
    private static string ChainOf(string bridge) =>
        bridge.Length is > 0 and <= 14 ? "FLOTILLA-MASQ-" + bridge : throw new ArgumentException($"bridge name {bridge} is not 1 to 14 characters", nameof(bridge));

    private static string[] Jump(string chain) => ["-m", "comment", "--comment", "flotilla: pods leaving the cluster network", "-j", chain];

    private static void Check((int Code, string Output) result, string command)
    {
        if (result.Code != 0)
        {
            throw new NetworkSetupException($"{command} failed ({result.Code}): {result.Output.Trim()}");
        }
    }
}
