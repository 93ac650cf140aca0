using System.Net;
using System.Net.NetworkInformation;

namespace Flotilla.Cli;

/// <summary>The machine's name and addresses, which the API server's certificate covers so other machines reach it.</summary>
public static class HostAddresses
{
    /// <summary>
    /// The IPv4 address of the interface of the default route (kube-apiserver's advertise address when it binds
    /// 0.0.0.0), else of any interface up, else loopback.
    /// </summary>
    public static IPAddress Primary()
    {
        var defaultInterface = File.Exists("/proc/net/route")
            ? File.ReadLines("/proc/net/route").Skip(1).Select(l => l.Split('\t', StringSplitOptions.TrimEntries)).FirstOrDefault(f => f.Length > 2 && f[1] == "00000000")?[0]
            : null;
        var candidates = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .OrderBy(n => n.Name == defaultInterface ? 0 : 1)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return candidates.FirstOrDefault() ?? IPAddress.Loopback;
    }

    public static IEnumerable<string> Names()
    {
        yield return System.Net.Dns.GetHostName();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up))
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (!IPAddress.IsLoopback(address) && !address.IsIPv6LinkLocal)
                {
                    yield return address.ToString();
                }
            }
        }
    }
}
