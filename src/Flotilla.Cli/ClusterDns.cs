using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Flotilla.ApiServer.Auth;
using Flotilla.Client;
using Flotilla.Dns;
using Flotilla.Dns.Server;
using Flotilla.Kubelet.Node;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// The server's cluster DNS, answering as <c>system:cluster-dns</c> and forwarding other names to the host's resolvers,
/// on the address the server advertises: <c>kube-dns</c>' endpoints are the servers' addresses, where every node's
/// kube-proxy sends 10.43.0.10, on this machine or another. A server on loopback (one server, its node on the host)
/// serves on 10.43.0.10 itself, put on the host's <c>lo</c> (NodeLocal DNSCache's way): the address is put back when it
/// goes, and <c>reset</c> leaves it while a DNS serves on it (clusters on one host, in tests, come and go while another's
/// pods resolve through it).
/// </summary>
public static partial class ClusterDns
{
    private static readonly string HostAddress = ClusterDnsOptions.DefaultAddress + "/32";

    /// <summary>How often the address is checked: another cluster's reset, or a person, may have taken it off lo.</summary>
    private static readonly TimeSpan AddressCheckPeriod = TimeSpan.FromSeconds(5);

    /// <param name="server">The API server to watch.</param>
    /// <param name="advertised">The address the server advertises (its master lease), where the DNS listens.</param>
    /// <param name="clusterCidr">The pods' network: on the advertised address only it, the host and the nodes are answered.</param>
    public static async Task RunAsync(Uri server, IPAddress advertised, string clusterCidr, ClusterPki pki, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(advertised);
        ArgumentNullException.ThrowIfNull(pki);
        ArgumentNullException.ThrowIfNull(logs);
        var log = logs.CreateLogger("Flotilla.Dns");
        var onLo = IPAddress.IsLoopback(advertised);
        if (onLo)
        {
            AddAddress(log);
        }

        using var client = ClusterClients.ForServer(server, pki.Ca, pki.Component("cluster-dns", TimeProvider.System));
        var options = new ClusterDnsOptions
        {
            Listen = new IPEndPoint(onLo ? ClusterDnsOptions.DefaultAddress : advertised, 53),
            AllowedSources = onLo ? null : [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse(clusterCidr)],
            Upstreams = ResolvConf.ReadHost(ClusterDnsOptions.DefaultAddress),
        };
        await Task.WhenAll(
            ClusterDnsHost.RunAsync(client, options, logs, TimeProvider.System, cancellationToken),
            onLo ? Periodic.RunAsync(AddressCheckPeriod, _ => Task.Run(() => KeepAddress(log), CancellationToken.None), e => LogNoAddress(log, HostAddress, e.Message), TimeProvider.System, cancellationToken) : Task.CompletedTask);
    }

    /// <summary>
    /// Takes the address off the loopback again (<c>reset</c>), unless a DNS serves on it: that is another cluster's
    /// (this one's server is stopped while its data dir is reset). Gone already is fine.
    /// </summary>
    public static void RemoveAddress()
    {
        if (!Served())
        {
            Ip("address", "del", HostAddress, "dev", "lo");
        }
    }

    private static void AddAddress(ILogger log)
    {
        var (code, output) = Ip("address", "replace", HostAddress, "dev", "lo");
        if (code != 0)
        {
            LogNoAddress(log, HostAddress, output.Trim());
        }
    }

    private static void KeepAddress(ILogger log)
    {
        var onLo = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.Name == "lo")
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.Equals(ClusterDnsOptions.DefaultAddress));
        if (!onLo)
        {
            LogAddressBack(log, HostAddress);
            AddAddress(log);
        }
    }

    /// <summary>Whether a socket is bound to the DNS's port on the address (binding it here fails).</summary>
    private static bool Served()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Bind(new IPEndPoint(ClusterDnsOptions.DefaultAddress, 53));
            return false;
        }
        catch (SocketException e)
        {
            // Not on lo (AddressNotAvailable): nothing can serve there.
            return e.SocketErrorCode == SocketError.AddressAlreadyInUse;
        }
    }

    /// <summary><c>ip</c>, or why it could not run (not installed: the DNS then says it cannot listen).</summary>
    private static (int Code, string Output) Ip(params string[] args)
    {
        try
        {
            return HostCommand.Run("ip", args);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster DNS: {Address} was gone from lo; putting it back")]
    private static partial void LogAddressBack(ILogger log, string address);

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster DNS: cannot put {Address} on lo: {Error}")]
    private static partial void LogNoAddress(ILogger log, string address, string error);
}
