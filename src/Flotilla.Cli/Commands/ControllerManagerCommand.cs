using System.CommandLine;
using Flotilla.Client;
using Flotilla.Controllers;
using k8s;
using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla controller-manager --kubeconfig F</c>: the controllers alone, as a client of any API server
/// (kube-controller-manager). Replicas elect a leader on the <c>kube-system/kube-controller-manager</c> Lease.
/// </summary>
public static class ControllerManagerCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "kubeconfig file with the API server and the controller manager's credentials", Required = true };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Elect a leader among replicas before running the controllers", DefaultValueFactory = _ => true };
        var flags = new ControllerManagerFlags();
        var command = new Command("controller-manager", "Run the controllers against an API server") { kubeconfig, leaderElect };
        flags.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(Logging.Configure);
            KubernetesClientConfiguration config;
            System.Security.Cryptography.X509Certificates.X509Certificate2? signingCa;
            try
            {
                config = ClusterClients.ConfigFromKubeconfig(parsed.GetValue(kubeconfig)!);
                signingCa = flags.SigningCa(parsed);
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return 1;
            }

            var options = flags.Read(parsed, signingCa);
            await ControllerManagerHost.RunAsync(config, options, parsed.GetValue(leaderElect), loggers, TimeProvider.System, cancellationToken);
            return 0;
        });
        return command;
    }
}
