using System.CommandLine;
using Flotilla.Client;
using Flotilla.Scheduler;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla scheduler --kubeconfig F</c>: the scheduler alone, as a client of any API server (kube-scheduler).
/// Replicas elect a leader on the <c>kube-system/kube-scheduler</c> Lease; only the leader schedules.
/// </summary>
public static class SchedulerCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "kubeconfig file with the API server and the scheduler's credentials", Required = true };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Elect a leader among replicas before scheduling", DefaultValueFactory = _ => true };
        var schedulerName = new Option<string>("--scheduler-name") { Description = "Schedule pods whose spec.schedulerName is this", DefaultValueFactory = _ => SchedulerOptions.DefaultSchedulerName };
        var command = new Command("scheduler", "Run the scheduler against an API server") { kubeconfig, leaderElect, schedulerName };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(Logging.Configure);
            k8s.Kubernetes client;
            try
            {
                client = ClusterClients.FromKubeconfig(parsed.GetValue(kubeconfig)!);
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return 1;
            }

            using (client)
            {
                await SchedulerHost.RunAsync(client, new SchedulerOptions { SchedulerName = parsed.GetValue(schedulerName)! }, parsed.GetValue(leaderElect), loggers, TimeProvider.System, cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
