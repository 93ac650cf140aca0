namespace Flotilla.Proxy.Iptables;

/// <summary>
/// The rules that lead from the kernel's built-in chains into the proxy's (kube-proxy's iptablesJumpChains): put
/// first in their chain, once, at a full sync; taken out by <see cref="ProxyCleanup"/>.
/// </summary>
public static class ProxyJumps
{
    public static IReadOnlyList<(string Table, string Builtin, string Rule)> All { get; } =
    [
        ("filter", "INPUT", $"-m conntrack --ctstate NEW -m comment --comment \"flotilla externally-visible service portals\" -j {ChainNames.ExternalServices}"),
        ("filter", "FORWARD", $"-m conntrack --ctstate NEW -m comment --comment \"flotilla externally-visible service portals\" -j {ChainNames.ExternalServices}"),
        ("filter", "FORWARD", $"-m conntrack --ctstate NEW -m comment --comment \"flotilla service portals\" -j {ChainNames.Services}"),
        ("filter", "OUTPUT", $"-m conntrack --ctstate NEW -m comment --comment \"flotilla service portals\" -j {ChainNames.Services}"),
        ("filter", "FORWARD", $"-m comment --comment \"flotilla forwarding rules\" -j {ChainNames.Forward}"),
        ("nat", "OUTPUT", $"-m comment --comment \"flotilla service portals\" -j {ChainNames.Services}"),
        ("nat", "PREROUTING", $"-m comment --comment \"flotilla service portals\" -j {ChainNames.Services}"),
        ("nat", "POSTROUTING", $"-m comment --comment \"flotilla postrouting rules\" -j {ChainNames.Postrouting}"),
        ("filter", "INPUT", $"-j {ChainNames.Firewall}"),
        ("filter", "OUTPUT", $"-j {ChainNames.Firewall}"),
    ];
}
