using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.LeaderElection;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Scheduler;

/// <summary>
/// The scheduler as a component: its informers and event recorder on one client, and — with leader election — a
/// scheduler only while this replica holds the <c>kube-system/kube-scheduler</c> Lease.
/// </summary>
public static class SchedulerHost
{
    public const string LeaseName = "kube-scheduler";

    /// <summary>Runs until <paramref name="cancellationToken"/> ends, then returns (a stop is not an error).</summary>
    public static Task RunAsync(IKubernetes client, SchedulerOptions options, bool leaderElect, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken) =>
        LeaderElected.RunAsync(client, LeaseName, leaderElect, leading => RunOnceAsync(client, options, logs, time, leading), logs.CreateLogger("Flotilla.Scheduler"), time, cancellationToken);

    private static async Task RunOnceAsync(IKubernetes client, SchedulerOptions options, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var informers = new SharedInformerFactory(client, time, logs);
        await using var recorder = new EventRecorder(client, new EventRecorderOptions { Component = options.SchedulerName }, time, logs.CreateLogger<EventRecorder>());
        recorder.Start();
        var scheduler = new Scheduler(client, informers, recorder, options, time, logs.CreateLogger<Scheduler>());
        await scheduler.RunAsync(cancellationToken);
    }
}
