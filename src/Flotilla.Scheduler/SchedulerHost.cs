using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.LeaderElection;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Scheduler;

/// <summary>
/// The scheduler as a component: its informers and event recorder on one client, and — with leader election — a
/// scheduler only while this replica holds the <c>kube-system/kube-scheduler</c> Lease. A replica that loses the
/// Lease drops its caches and starts afresh if it wins again (upstream's process exits instead).
/// </summary>
public static partial class SchedulerHost
{
    public const string LeaseName = "kube-scheduler";

    /// <summary>Runs until <paramref name="cancellationToken"/> ends, then returns (a stop is not an error).</summary>
    public static async Task RunAsync(IKubernetes client, SchedulerOptions options, bool leaderElect, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await RunUntilStoppedAsync(client, options, leaderElect, logs, time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while waiting for the Lease or for the caches.
        }
    }

    private static async Task RunUntilStoppedAsync(IKubernetes client, SchedulerOptions options, bool leaderElect, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken)
    {
        var identity = $"{Environment.MachineName}_{Guid.NewGuid()}";
        var log = logs.CreateLogger("Flotilla.Scheduler");
        if (!leaderElect)
        {
            await RunOnceAsync(client, options, logs, time, cancellationToken);
            return;
        }

        var elector = new LeaderElector(client, new LeaderElectionConfig { Namespace = "kube-system", Name = LeaseName, Identity = identity }, time);
        while (!cancellationToken.IsCancellationRequested)
        {
            await elector.RunAsync(
                async leading =>
                {
                    LogLeading(log, identity);
                    await RunOnceAsync(client, options, logs, time, leading);
                },
                cancellationToken);
            if (!cancellationToken.IsCancellationRequested)
            {
                LogLost(log, identity);
            }
        }
    }

    private static async Task RunOnceAsync(IKubernetes client, SchedulerOptions options, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(client, time, logs);
        await using var recorder = new EventRecorder(client, new EventRecorderOptions { Component = options.SchedulerName }, time, logs.CreateLogger<EventRecorder>());
        recorder.Start();
        var scheduler = new Scheduler(client, informers, recorder, options, time, logs.CreateLogger<Scheduler>());
        await scheduler.RunAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduler {Identity} is the leader")]
    private static partial void LogLeading(ILogger log, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "scheduler {Identity} lost leadership; waiting to lead again")]
    private static partial void LogLost(ILogger log, string identity);
}
