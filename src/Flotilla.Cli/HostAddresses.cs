using System.Net;
using System.Net.NetworkInformation;

namespace Flotilla.Cli;

/// <summary>The machine's name and addresses, which the API server's certificate covers so other machines reach it.</summary>
public static class HostAddresses
{
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
