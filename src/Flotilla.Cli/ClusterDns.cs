using Flotilla.ApiServer.Auth;
using Flotilla.Client;
using Flotilla.Dns;
using Flotilla.Dns.Server;
using Flotilla.Kubelet.Node;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// The server's cluster DNS: the kube-dns address (10.43.0.10) on the host's loopback, where the pods of this host's
/// nodes reach it through their default route (NodeLocal DNSCache's way), answering as <c>system:cluster-dns</c> and
/// forwarding other names to the host's resolvers.
/// </summary>
public static partial class ClusterDns
{
    private static readonly string HostAddress = ClusterDnsOptions.DefaultAddress + "/32";

    public static async Task RunAsync(Uri server, ClusterPki pki, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pki);
        ArgumentNullException.ThrowIfNull(logs);
        var (code, output) = Ip("address", "replace", HostAddress, "dev", "lo");
        if (code != 0)
        {
            LogNoAddress(logs.CreateLogger("Flotilla.Dns"), HostAddress, output.Trim());
        }

        using var client = ClusterClients.ForServer(server, pki.Ca, pki.Component("cluster-dns", TimeProvider.System));
        var options = new ClusterDnsOptions { Upstreams = ResolvConf.ReadHost(ClusterDnsOptions.DefaultAddress) };
        await ClusterDnsHost.RunAsync(client, options, logs, TimeProvider.System, cancellationToken);
    }

    /// <summary>Takes the address off the loopback again (<c>reset</c>); gone already is fine.</summary>
    public static void RemoveAddress() => Ip("address", "del", HostAddress, "dev", "lo");

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

    [LoggerMessage(Level = LogLevel.Error, Message = "cluster DNS: cannot put {Address} on lo: {Error}")]
    private static partial void LogNoAddress(ILogger log, string address, string error);
}
