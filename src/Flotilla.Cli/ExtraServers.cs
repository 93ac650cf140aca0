using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// <c>up --servers N</c>'s API servers 2..N: each a <c>flotilla server</c> process with a data dir of its own
/// (<c>DIR/servers/server-i</c>), the cluster's TLS dir, the same etcd cluster, on its own address of the node network
/// (<see cref="NodeNetwork.ServerAddress"/>) and the same port. Each runs its scheduler, controller manager, DNS and
/// ingress as a lone server does: leader election keeps one scheduler and one controller manager active, and the DNS
/// of a server waits while another's holds the address.
/// </summary>
public static class ExtraServers
{
    public static string ServerDir(DataDirectory dataDir, int index)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        return Path.Combine(dataDir.ServersDir, $"server-{index}");
    }

    /// <param name="shared">Options every server of the cluster takes as the first one did (its own given ones).</param>
    public static ChildProcesses Start(DataDirectory dataDir, int count, int port, IReadOnlyList<string> etcdEndpoints, IReadOnlyList<string> shared, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        var servers = new ChildProcesses(log);
        try
        {
            for (var i = 2; i <= count; i++)
            {
                var listen = new IPEndPoint(NodeNetwork.ServerAddress(i), port);
                var info = SelfCommand.StartInfo(
                [
                    "server", "--data-dir", ServerDir(dataDir, i), "--tls-dir", dataDir.TlsDir, "--store", "etcd",
                    "--etcd-endpoints", string.Join(',', etcdEndpoints), "--listen", listen.ToString(), .. shared,
                ]);
                servers.Start($"server-{i.ToString(CultureInfo.InvariantCulture)}", info, $"https://{listen}");
            }
        }
        catch
        {
            servers.Kill();
            throw;
        }

        return servers;
    }
}
