using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli.Commands;

/// <summary><c>flotilla reset</c>: removes what a data dir's cluster created, so the next <c>up</c> starts a new cluster.</summary>
public static class ResetCommand
{
    public static Command Create()
    {
        var dataDirOption = ServerOptions.DataDirOption();
        var command = new Command("reset", "Remove everything a data dir's cluster created (it must be stopped)") { dataDirOption };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var dataDir = new DataDirectory(parsed.GetValue(dataDirOption)!);
            if (!Directory.Exists(dataDir.Root))
            {
                await Console.Out.WriteLineAsync($"flotilla reset: nothing to remove in {dataDir.Root}");
                return 0;
            }

            try
            {
                dataDir.Lock();
                await ResetNodesAsync(dataDir);

                // A real node's pods, mounts and bridge first: through its containerd, which lives under the data dir.
                using (var loggers = LoggerFactory.Create(Logging.Configure))
                {
                    var node = new Flotilla.Kubelet.Runtime.Cri.CriNode(dataDir.Root);
                    if (Directory.Exists(node.Containerd.Dir))
                    {
                        // The node's service proxy wrote the host's FLOTILLA- chains; a vxlan node made its device.
                        await Flotilla.Proxy.Iptables.ProxyCleanup.RemoveAsync(new Flotilla.Proxy.Iptables.IptablesRunner(), cancellationToken);
                        Flotilla.Kubelet.Network.VxlanDevice.Remove();
                    }

                    await node.ResetAsync(loggers.CreateLogger("Flotilla.Reset"), cancellationToken);
                }

                // A joined agent's certificates: a new cluster needs new ones.
                if (Directory.Exists(Path.Combine(dataDir.Root, "agent")))
                {
                    Directory.Delete(Path.Combine(dataDir.Root, "agent"), recursive: true);
                }

                // The managed etcd cluster's members (left running only if their server was killed).
                if (Directory.Exists(dataDir.EtcdDir))
                {
                    await EtcdOrphans.StopAsync(dataDir, TimeSpan.Zero, cancellationToken);
                    Directory.Delete(dataDir.EtcdDir, recursive: true);
                }

                if (Directory.Exists(dataDir.StorageDir))
                {
                    Directory.Delete(dataDir.StorageDir, recursive: true);
                }

                // Only what Flotilla wrote: a mistyped --data-dir must not empty an unrelated directory.
                if (Directory.Exists(dataDir.ServerDir))
                {
                    Directory.Delete(dataDir.ServerDir, recursive: true);
                }

                File.Delete(dataDir.Kubeconfig);

                // Every server has its TLS dir (its store may be an etcd, with no server dir), and put the DNS address on lo.
                if (Directory.Exists(dataDir.TlsDir))
                {
                    ClusterDns.RemoveAddress();
                    Directory.Delete(dataDir.TlsDir, recursive: true);
                }
            }
            catch (Exception e) when (e is DataDirectoryException or IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException or Flotilla.Proxy.Iptables.IptablesException)
            {
                await Console.Error.WriteLineAsync($"flotilla reset: {e.Message}");
                return 1;
            }

            dataDir.Dispose();
            File.Delete(dataDir.LockFile);
            await Console.Out.WriteLineAsync($"flotilla reset: removed the cluster state in {dataDir.Root}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// <c>up --nodes N</c>'s nodes: each reset inside its namespace (its pods, bridge and proxy rules are there), then
    /// its namespace and link; <c>up --servers N</c>'s other servers' data dirs; then the host bridge with the
    /// addresses and routes on it.
    /// </summary>
    private static async Task ResetNodesAsync(DataDirectory dataDir)
    {
        var nodesDir = Path.Combine(dataDir.Root, "nodes");
        if (!Directory.Exists(nodesDir) && !Directory.Exists(dataDir.ServersDir))
        {
            return;
        }

        if (Directory.Exists(dataDir.ServersDir))
        {
            Directory.Delete(dataDir.ServersDir, recursive: true);
        }

        foreach (var nodeDir in (Directory.Exists(nodesDir) ? Directory.GetDirectories(nodesDir) : []).Order(StringComparer.Ordinal))
        {
            var node = Path.GetFileName(nodeDir);
            if (File.Exists(NodeNetwork.NamespacePath(node)))
            {
                using var child = System.Diagnostics.Process.Start(SelfCommand.StartInfo("nsenter", [$"--net={NodeNetwork.NamespacePath(node)}"], ["reset", "--data-dir", nodeDir]))
                    ?? throw new InvalidOperationException($"resetting node {node} did not start");
                await child.WaitForExitAsync();
                if (child.ExitCode != 0)
                {
                    throw new InvalidOperationException($"resetting node {node} failed (exit {child.ExitCode})");
                }
            }

            NodeNetwork.RemoveNode(node);
            Directory.Delete(nodeDir, recursive: true);
        }

        NodeNetwork.RemoveBridge();
        if (Directory.Exists(nodesDir))
        {
            Directory.Delete(nodesDir, recursive: true);
        }
    }
}
