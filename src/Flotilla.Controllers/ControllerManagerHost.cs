using Flotilla.Client;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.LeaderElection;
using Flotilla.Controllers.Deployment;
using Flotilla.Controllers.Endpoints;
using Flotilla.Controllers.Framework;
using Flotilla.Controllers.NodeIpam;
using Flotilla.Controllers.NodeLifecycle;
using Flotilla.Controllers.PodGc;
using Flotilla.Controllers.ServiceAccount;
using Flotilla.Controllers.ReplicaSet;
using k8s;
using Microsoft.Extensions.Logging;

namespace Flotilla.Controllers;

/// <summary>
/// The controller manager as a component: while this replica holds the <c>kube-system/kube-controller-manager</c>
/// Lease, every controller runs on informers shared through one factory (the manager's own identity lists and
/// watches), and writes as its own service account with its own event recorder.
/// </summary>
public static class ControllerManagerHost
{
    public const string LeaseName = "kube-controller-manager";

    /// <param name="config">Where the API server is and the manager's own credentials.</param>
    public static async Task RunAsync(KubernetesClientConfiguration config, ControllerManagerOptions options, bool leaderElect, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logs);
        using var manager = ClusterClients.Create(config);
        await LeaderElected.RunAsync(manager, LeaseName, leaderElect, leading => RunControllersAsync(manager, config, options, logs, time, leading), logs.CreateLogger("Flotilla.Controllers"), time, cancellationToken);
    }

    private static async Task RunControllersAsync(Kubernetes manager, KubernetesClientConfiguration config, ControllerManagerOptions options, ILoggerFactory logs, TimeProvider time, CancellationToken cancellationToken)
    {
        var accounts = new ServiceAccountClients(manager, config, time);
        await using var informers = new SharedInformerFactory(manager, time, logs);
        await using var ids = new Identities(accounts, time, logs);
        var replicaSetClient = ids.Client(ReplicaSetKind.ReplicaSet.Name);
        var replicaSetEvents = ids.Events(replicaSetClient, ReplicaSetKind.ReplicaSet.Name);
        var replicationClient = ids.Client(ReplicaSetKind.ReplicationController.Name);
        var replicationEvents = ids.Events(replicationClient, ReplicaSetKind.ReplicationController.Name);
        var collectorClient = ids.Client(GarbageCollector.GarbageCollector.Name);
        var deploymentClient = ids.Client(DeploymentController.Name);
        var namespaceClient = ids.Client(Namespace.NamespaceController.Name);
        var deploymentEvents = ids.Events(deploymentClient, DeploymentController.Name);
        var endpointsClient = ids.Client(EndpointsController.Name);
        var endpointsEvents = ids.Events(endpointsClient, EndpointsController.Name);
        var sliceClient = ids.Client(EndpointSliceController.Name);
        var sliceEvents = ids.Events(sliceClient, EndpointSliceController.Name);
        var nodeClient = ids.Client(NodeLifecycleController.Name);
        var nodeEvents = ids.Events(nodeClient, NodeLifecycleController.Name);
        var evictionEvents = ids.Events(nodeClient, TaintEvictionController.Name);
        var cidrEvents = ids.Events(nodeClient, NodeIpamController.EventComponent);
        var jobClient = ids.Client(Job.JobController.Name);
        var jobEvents = ids.Events(jobClient, Job.JobController.Name);
        var ttlClient = ids.Client(TtlAfterFinished.TtlAfterFinishedController.Name);
        var statefulSetClient = ids.Client(StatefulSet.StatefulSetController.Name);
        var statefulSetEvents = ids.Events(statefulSetClient, StatefulSet.StatefulSetController.Name);
        var daemonSetClient = ids.Client(DaemonSet.DaemonSetController.Name);
        var daemonSetEvents = ids.Events(daemonSetClient, DaemonSet.DaemonSetController.EventComponent);
        var cronJobClient = ids.Client(CronJob.CronJobController.Name);
        var cronJobEvents = ids.Events(cronJobClient, CronJob.CronJobController.Name);
        var volumeClient = ids.Client(PersistentVolume.PersistentVolumeController.Name);
        var volumeEvents = ids.Events(volumeClient, PersistentVolume.PersistentVolumeController.Name);
        var localPathClient = ids.Client(LocalPath.LocalPathProvisioner.Name);
        var localPathEvents = ids.Events(localPathClient, LocalPath.LocalPathProvisioner.ProvisionerName);
        var podGcClient = ids.Client(PodGarbageCollector.Name);
        var serviceAccountClient = ids.Client(ServiceAccountsController.Name);
        var rootCaClient = ids.Client(RootCaPublisher.RootCaPublisher.Name);
        var serviceLbClient = ids.Client(ServiceLb.ServiceLbController.Name);
        var serviceLbEvents = ids.Events(serviceLbClient, ServiceLb.ServiceLbController.Name);
        var certificateClient = ids.Client("certificate-controller");

        // The CA the manager trusts the API server by is the one pods get (upstream: the client's CA data).
        var caPem = config.SslCaCerts is { Count: > 0 } cas ? string.Concat(cas.Select(c => c.ExportCertificatePem() + "\n")) : null;
        await Task.WhenAll(
            ReplicaSetController.RunAsync(
                informers,
                new PodControl(replicaSetClient, replicaSetEvents),
                new ReplicaSetClient(replicaSetClient),
                options.ReplicaSetWorkers,
                time,
                logs.CreateLogger<ReplicaSetController>(),
                cancellationToken),
            ReplicaSetController.RunReplicationControllersAsync(
                informers,
                new PodControl(replicationClient, replicationEvents),
                replicationClient,
                options.ReplicationControllerWorkers,
                time,
                logs.CreateLogger<ReplicaSetController>(),
                cancellationToken),
            DeploymentController.RunAsync(informers, new DeploymentClient(deploymentClient), deploymentEvents, options.DeploymentWorkers, time, logs.CreateLogger<DeploymentController>(), cancellationToken),
            EndpointsController.RunAsync(informers, new EndpointsClient(endpointsClient), endpointsEvents, options.EndpointWorkers, time, logs.CreateLogger<EndpointsController>(), cancellationToken),
            EndpointSliceController.RunAsync(informers, new EndpointSliceClient(sliceClient), sliceEvents, options.EndpointSliceWorkers, options.MaxEndpointsPerSlice, time, logs.CreateLogger<EndpointSliceController>(), cancellationToken),
            NodeLifecycleController.RunAsync(informers, nodeClient, nodeEvents, options, time, logs.CreateLogger<NodeLifecycleController>(), cancellationToken),
            TaintEvictionController.RunAsync(informers, nodeClient, evictionEvents, time, logs.CreateLogger<TaintEvictionController>(), cancellationToken),
            options.AllocateNodeCidrs
                ? NodeIpamController.RunAsync(informers, new CidrSet(options.ClusterCidr, options.NodeCidrMaskSize), nodeClient, cidrEvents, 2, time, logs.CreateLogger<NodeIpamController>(), cancellationToken)
                : Task.CompletedTask,
            Job.JobController.RunAsync(informers, new PodControl(jobClient, jobEvents), new Job.JobClient(jobClient), jobEvents, options.JobWorkers, time, logs.CreateLogger<Job.JobController>(), cancellationToken),
            StatefulSet.StatefulSetController.RunAsync(informers, new PodControl(statefulSetClient, NoEvents.Instance), new StatefulSet.StatefulSetClient(statefulSetClient), statefulSetEvents, options.StatefulSetWorkers, time, logs.CreateLogger<StatefulSet.StatefulSetController>(), cancellationToken),
            DaemonSet.DaemonSetController.RunAsync(informers, new PodControl(daemonSetClient, daemonSetEvents), new DaemonSet.DaemonSetClient(daemonSetClient), daemonSetEvents, options.DaemonSetWorkers, time, logs.CreateLogger<DaemonSet.DaemonSetController>(), cancellationToken),
            CronJob.CronJobController.RunAsync(informers, new CronJob.CronJobClient(cronJobClient), cronJobEvents, options.CronJobWorkers, time, logs.CreateLogger<CronJob.CronJobController>(), cancellationToken),
            TtlAfterFinished.TtlAfterFinishedController.RunAsync(informers, ttlClient, options.TtlAfterFinishedWorkers, time, logs.CreateLogger<TtlAfterFinished.TtlAfterFinishedController>(), cancellationToken),
            PersistentVolume.PersistentVolumeController.RunAsync(informers, volumeClient, volumeEvents, 1, time, logs.CreateLogger<PersistentVolume.PersistentVolumeController>(), cancellationToken),
            LocalPath.LocalPathProvisioner.RunAsync(informers, localPathClient, localPathEvents, 2, time, logs.CreateLogger<LocalPath.LocalPathProvisioner>(), cancellationToken),
            PodGarbageCollector.RunAsync(informers, new PodGcClient(podGcClient), options.TerminatedPodGcThreshold, options.PodGcPeriod, time, logs.CreateLogger<PodGarbageCollector>(), cancellationToken),
            ServiceAccountsController.RunAsync(informers, serviceAccountClient, time, logs.CreateLogger<ServiceAccountsController>(), cancellationToken),
            ServiceLb.ServiceLbController.RunAsync(informers, serviceLbClient, serviceLbEvents, time, logs.CreateLogger<ServiceLb.ServiceLbController>(), cancellationToken),
            caPem is null ? Task.CompletedTask : RootCaPublisher.RootCaPublisher.RunAsync(informers, rootCaClient, caPem, time, logs.CreateLogger<RootCaPublisher.RootCaPublisher>(), cancellationToken),
            Certificates.CsrApprovingController.RunAsync(informers, certificateClient, time, logs.CreateLogger<Certificates.CsrApprovingController>(), cancellationToken),
            options.ClusterSigningCa is { } signingCa
                ? Certificates.CsrSigningController.RunAsync(informers, certificateClient, signingCa, options.ClusterSigningDuration, time, logs.CreateLogger<Certificates.CsrSigningController>(), cancellationToken)
                : Task.CompletedTask,
            Certificates.CsrCleaner.RunAsync(informers, certificateClient, time, logs.CreateLogger<Certificates.CsrCleaner>(), cancellationToken),
            Namespace.NamespaceController.RunAsync(informers, namespaceClient, options.NamespaceWorkers, time, logs.CreateLogger<Namespace.NamespaceController>(), cancellationToken),
            GarbageCollector.GarbageCollector.RunAsync(informers, collectorClient, options.GarbageCollectorWorkers, time, logs.CreateLogger<GarbageCollector.GarbageCollector>(), cancellationToken));
    }

    /// <summary>The controllers' own clients (each its service account) and event recorders, disposed together when they stop.</summary>
    private sealed class Identities(ServiceAccountClients accounts, TimeProvider time, ILoggerFactory logs) : IAsyncDisposable
    {
        private readonly List<Kubernetes> _clients = [];
        private readonly List<EventRecorder> _recorders = [];

        public Kubernetes Client(string account)
        {
            var client = accounts.For(account);
            _clients.Add(client);
            return client;
        }

        /// <summary>A started recorder writing through <paramref name="client"/> as <paramref name="component"/>.</summary>
        public EventRecorder Events(Kubernetes client, string component)
        {
            var recorder = new EventRecorder(client, new EventRecorderOptions { Component = component }, time, logs.CreateLogger<EventRecorder>());
            recorder.Start();
            _recorders.Add(recorder);
            return recorder;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var recorder in Enumerable.Reverse(_recorders))
            {
                await recorder.DisposeAsync();
            }

            foreach (var client in Enumerable.Reverse(_clients))
            {
                client.Dispose();
            }
        }
    }
}
