using Flotilla.Kubelet.Node;

namespace Flotilla.Cli;

/// <summary>
/// Members of a data dir's managed etcd cluster left running by a server that was killed: they are etcd, not flotilla,
/// so <see cref="ParentWatch"/> does not stop them, and they hold the ports and files the next start or a reset needs.
/// Whoever holds the data dir's lock knows they are orphans.
/// </summary>
public static class EtcdOrphans
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>SIGTERM (etcd stops cleanly, its data kept), then SIGKILL for any still there after 10 s. True when there were some.</summary>
    public static bool Stop(DataDirectory dataDir)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        var pattern = $"--data-dir {dataDir.EtcdDir}/";
        if (HostCommand.Run("pkill", "-TERM", "-f", "--", pattern).Code != 0)
        {
            return false;
        }

        var deadline = DateTime.UtcNow + GracePeriod;
        while (DateTime.UtcNow < deadline && HostCommand.Run("pgrep", "-f", "--", pattern).Code == 0)
        {
            Thread.Sleep(100);
        }

        HostCommand.Run("pkill", "-KILL", "-f", "--", pattern);
        return true;
    }
}
