using System.Security.Cryptography;
using System.Text;
using Flotilla.Proxy.Model;

namespace Flotilla.Proxy.Iptables;

/// <summary>
/// The proxy's iptables chains: the fixed ones, and one per service port and per endpoint named by a hash as upstream
/// names them (base32 of SHA-256 of <c>ns/name:port</c> + protocol [+ <c>ip:port</c>]), cut to 15 characters so the
/// longer <c>FLOTILLA-</c> prefix stays within iptables' 28.
/// </summary>
public static class ChainNames
{
    public const string Prefix = "FLOTILLA-";
    public const string Services = "FLOTILLA-SERVICES";
    public const string ExternalServices = "FLOTILLA-EXTERNAL-SERVICES";
    public const string NodePorts = "FLOTILLA-NODEPORTS";
    public const string Postrouting = "FLOTILLA-POSTROUTING";
    public const string MarkMasq = "FLOTILLA-MARK-MASQ";
    public const string Forward = "FLOTILLA-FORWARD";
    public const string Firewall = "FLOTILLA-FIREWALL";

    /// <summary>The per-service and per-endpoint kinds, which a sync may find stale and delete.</summary>
    private static readonly string[] ServiceKinds = ["FLOTILLA-SVC-", "FLOTILLA-SVL-", "FLOTILLA-EXT-", "FLOTILLA-SEP-"];

    private const int HashLength = 15;
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The cluster-policy chain: all usable endpoints.</summary>
    public static string Cluster(ServicePort port) => "FLOTILLA-SVC-" + Hash(port);

    /// <summary>The local-policy chain: this node's endpoints.</summary>
    public static string Local(ServicePort port) => "FLOTILLA-SVL-" + Hash(port);

    /// <summary>Where external traffic (NodePort, external and load-balancer IPs) enters.</summary>
    public static string External(ServicePort port) => "FLOTILLA-EXT-" + Hash(port);

    public static string Endpoint(ServicePort port, Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(endpoint);
        return "FLOTILLA-SEP-" + Hash(port.Name + port.Protocol + endpoint);
    }

    public static bool IsServiceChain(string chain) => ServiceKinds.Any(k => chain.StartsWith(k, StringComparison.Ordinal));

    private static string Hash(ServicePort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        return Hash(port.Name + port.Protocol);
    }

    private static string Hash(string input)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(input));
        var text = new StringBuilder(HashLength);
        var (buffer, bits, i) = (0, 0, 0);
        while (text.Length < HashLength)
        {
            if (bits < 5)
            {
                buffer = (buffer << 8) | digest[i++];
                bits += 8;
            }

            text.Append(Base32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }

        return text.ToString();
    }
}
