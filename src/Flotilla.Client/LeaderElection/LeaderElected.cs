using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Client.LeaderElection;

/// <summary>
/// A control-plane component that acts only while its replica holds the <c>kube-system/&lt;lease&gt;</c> Lease
/// (kube-scheduler, kube-controller-manager). A replica that loses the Lease stops its work and waits to lead again,
/// starting afresh (upstream's process exits instead).
/// </summary>
public static partial class LeaderElected
{
    /// <summary>
    /// Runs <paramref name="work"/> while leading — always, without <paramref name="leaderElect"/> — until
    /// <paramref name="cancellationToken"/> ends, then returns: a stop is not an error.
    /// </summary>
    public static async Task RunAsync(IKubernetes client, string lease, bool leaderElect, Func<CancellationToken, Task> work, ILogger log, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            if (!leaderElect)
            {
                await work(cancellationToken);
                return;
            }

            var identity = $"{Environment.MachineName}_{Guid.NewGuid()}";
            var elector = new LeaderElector(client, new LeaderElectionConfig { Namespace = "kube-system", Name = lease, Identity = identity }, time);
            while (!cancellationToken.IsCancellationRequested)
            {
                await elector.RunAsync(
                    async leading =>
                    {
                        LogLeading(log, lease, identity);
                        await work(leading);
                    },
                    cancellationToken);
                if (!cancellationToken.IsCancellationRequested)
                {
                    LogLost(log, lease, identity);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while waiting for the Lease or for caches.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Lease} {Identity} is the leader")]
    private static partial void LogLeading(ILogger log, string lease, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Lease} {Identity} lost leadership; waiting to lead again")]
    private static partial void LogLost(ILogger log, string lease, string identity);
}
