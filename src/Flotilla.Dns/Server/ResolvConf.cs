using System.Net;

namespace Flotilla.Dns.Server;

/// <summary>The <c>nameserver</c> lines of a resolv.conf: where a node's own names are resolved.</summary>
public static class ResolvConf
{
    public const string HostPath = "/etc/resolv.conf";

    /// <summary>The nameservers in <paramref name="text"/>, leaving out <paramref name="self"/> (forwarding to ourselves would loop).</summary>
    public static IReadOnlyList<IPAddress> Nameservers(string text, IPAddress? self = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var servers = new List<IPAddress>();
        foreach (var line in text.Split('\n'))
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length >= 2 && words[0] == "nameserver" && IPAddress.TryParse(words[1], out var address) && !address.Equals(self) && !servers.Contains(address))
            {
                servers.Add(address);
            }
        }

        return servers;
    }

    /// <summary>The host's nameservers; none when the file cannot be read.</summary>
    public static IReadOnlyList<IPAddress> ReadHost(IPAddress? self = null)
    {
        try
        {
            return Nameservers(File.ReadAllText(HostPath), self);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
