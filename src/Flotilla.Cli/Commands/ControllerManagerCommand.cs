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
        var replicaSetSyncs = new Option<int>("--concurrent-replicaset-syncs") { Description = "ReplicaSets synced at once", DefaultValueFactory = _ => new ControllerManagerOptions().ReplicaSetWorkers };
        var rcSyncs = new Option<int>("--concurrent-rc-syncs") { Description = "ReplicationControllers synced at once", DefaultValueFactory = _ => new ControllerManagerOptions().ReplicationControllerWorkers };
        var deploymentSyncs = new Option<int>("--concurrent-deployment-syncs") { Description = "Deployments synced at once", DefaultValueFactory = _ => new ControllerManagerOptions().DeploymentWorkers };
        var namespaceSyncs = new Option<int>("--concurrent-namespace-syncs") { Description = "Namespaces emptied at once", DefaultValueFactory = _ => new ControllerManagerOptions().NamespaceWorkers };
        var endpointSyncs = new Option<int>("--concurrent-endpoint-syncs") { Description = "Services whose Endpoints are synced at once", DefaultValueFactory = _ => new ControllerManagerOptions().EndpointWorkers };
        var sliceSyncs = new Option<int>("--concurrent-service-endpoint-syncs") { Description = "Services whose EndpointSlices are synced at once", DefaultValueFactory = _ => new ControllerManagerOptions().EndpointSliceWorkers };
        var maxPerSlice = new Option<int>("--max-endpoints-per-slice") { Description = "Most endpoints in one EndpointSlice (1 to 1000)", DefaultValueFactory = _ => new ControllerManagerOptions().MaxEndpointsPerSlice };
        var gcSyncs = new Option<int>("--concurrent-gc-syncs") { Description = "Objects the garbage collector works on at once", DefaultValueFactory = _ => new ControllerManagerOptions().GarbageCollectorWorkers };
        var command = new Command("controller-manager", "Run the controllers against an API server") { kubeconfig, leaderElect, replicaSetSyncs, rcSyncs, deploymentSyncs, namespaceSyncs, endpointSyncs, sliceSyncs, maxPerSlice, gcSyncs };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            foreach (var workers in new[] { replicaSetSyncs, rcSyncs, deploymentSyncs, namespaceSyncs, endpointSyncs, sliceSyncs, gcSyncs })
            {
                if (parsed.GetValue(workers) < 1)
                {
                    await Console.Error.WriteLineAsync($"flotilla: {workers.Name} must be at least 1");
                    return FlotillaCommand.UsageError;
                }
            }

            if (parsed.GetValue(maxPerSlice) is < 1 or > 1000)
            {
                await Console.Error.WriteLineAsync("flotilla: --max-endpoints-per-slice must be between 1 and 1000");
                return FlotillaCommand.UsageError;
            }

            using var loggers = LoggerFactory.Create(Logging.Configure);
            KubernetesClientConfiguration config;
            try
            {
                config = ClusterClients.ConfigFromKubeconfig(parsed.GetValue(kubeconfig)!);
            }
            catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"flotilla: {e.Message}");
                return 1;
            }

            var options = new ControllerManagerOptions
            {
                ReplicaSetWorkers = parsed.GetValue(replicaSetSyncs),
                ReplicationControllerWorkers = parsed.GetValue(rcSyncs),
                DeploymentWorkers = parsed.GetValue(deploymentSyncs),
                NamespaceWorkers = parsed.GetValue(namespaceSyncs),
                EndpointWorkers = parsed.GetValue(endpointSyncs),
                EndpointSliceWorkers = parsed.GetValue(sliceSyncs),
                MaxEndpointsPerSlice = parsed.GetValue(maxPerSlice),
                GarbageCollectorWorkers = parsed.GetValue(gcSyncs),
            };
            await ControllerManagerHost.RunAsync(config, options, parsed.GetValue(leaderElect), loggers, TimeProvider.System, cancellationToken);
            return 0;
        });
        return command;
    }
}
