using Flotilla.Kubelet.Node;

namespace Flotilla.Cli;

/// <summary>
/// Members of a data dir's managed etcd cluster left running by a server that was killed: they are etcd, not flotilla,
/// so <see cref="ParentWatch"/> does not stop them, and they hold the ports and files the next start or a reset needs.
/// Whoever holds the data dir's lock knows they are orphans.
/// </summary>
public static class EtcdOrphans
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// SIGTERM (etcd stops cleanly, its data kept), then SIGKILL for any still there after <paramref name="grace"/>
    /// (zero: SIGKILL at once, for data about to be deleted). True when there were some.
    /// </summary>
    public static async Task<bool> StopAsync(DataDirectory dataDir, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataDir);
        var pattern = "--data-dir " + Ere($"{dataDir.EtcdDir}/");
        if (HostCommand.Run("pgrep", "-f", "--", pattern).Code != 0)
        {
            return false;
        }

        if (grace > TimeSpan.Zero)
        {
            HostCommand.Run("pkill", "-TERM", "-f", "--", pattern);
            for (var waited = TimeSpan.Zero; waited < grace && HostCommand.Run("pgrep", "-f", "--", pattern).Code == 0; waited += Poll)
            {
                await Task.Delay(Poll, cancellationToken);
            }
        }

        HostCommand.Run("pkill", "-KILL", "-f", "--", pattern);
        return true;
    }

    /// <summary><paramref name="text"/> matched literally in a POSIX extended regular expression (pgrep's).</summary>
    private static string Ere(string text) =>
        string.Concat(text.Select(c => @".[]()*+?{}|^$\".Contains(c, StringComparison.Ordinal) ? $"\\{c}" : c.ToString()));
}
