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
        using var replicaSetClient = accounts.For(ReplicaSetKind.ReplicaSet.Name);
        await using var replicaSetEvents = new EventRecorder(replicaSetClient, new EventRecorderOptions { Component = ReplicaSetKind.ReplicaSet.Name }, time, logs.CreateLogger<EventRecorder>());
        replicaSetEvents.Start();
        using var replicationClient = accounts.For(ReplicaSetKind.ReplicationController.Name);
        await using var replicationEvents = new EventRecorder(replicationClient, new EventRecorderOptions { Component = ReplicaSetKind.ReplicationController.Name }, time, logs.CreateLogger<EventRecorder>());
        replicationEvents.Start();
        using var collectorClient = accounts.For(GarbageCollector.GarbageCollector.Name);
        using var deploymentClient = accounts.For(DeploymentController.Name);
        using var namespaceClient = accounts.For(Namespace.NamespaceController.Name);
        await using var deploymentEvents = new EventRecorder(deploymentClient, new EventRecorderOptions { Component = DeploymentController.Name }, time, logs.CreateLogger<EventRecorder>());
        deploymentEvents.Start();
        using var endpointsClient = accounts.For(EndpointsController.Name);
        await using var endpointsEvents = new EventRecorder(endpointsClient, new EventRecorderOptions { Component = EndpointsController.Name }, time, logs.CreateLogger<EventRecorder>());
        endpointsEvents.Start();
        using var sliceClient = accounts.For(EndpointSliceController.Name);
        await using var sliceEvents = new EventRecorder(sliceClient, new EventRecorderOptions { Component = EndpointSliceController.Name }, time, logs.CreateLogger<EventRecorder>());
        sliceEvents.Start();
        using var nodeClient = accounts.For(NodeLifecycleController.Name);
        await using var nodeEvents = new EventRecorder(nodeClient, new EventRecorderOptions { Component = NodeLifecycleController.Name }, time, logs.CreateLogger<EventRecorder>());
        nodeEvents.Start();
        await using var evictionEvents = new EventRecorder(nodeClient, new EventRecorderOptions { Component = TaintEvictionController.Name }, time, logs.CreateLogger<EventRecorder>());
        evictionEvents.Start();
        await using var cidrEvents = new EventRecorder(nodeClient, new EventRecorderOptions { Component = NodeIpamController.EventComponent }, time, logs.CreateLogger<EventRecorder>());
        cidrEvents.Start();
        using var jobClient = accounts.For(Job.JobController.Name);
        await using var jobEvents = new EventRecorder(jobClient, new EventRecorderOptions { Component = Job.JobController.Name }, time, logs.CreateLogger<EventRecorder>());
        jobEvents.Start();
        using var ttlClient = accounts.For(TtlAfterFinished.TtlAfterFinishedController.Name);
        using var statefulSetClient = accounts.For(StatefulSet.StatefulSetController.Name);
        await using var statefulSetEvents = new EventRecorder(statefulSetClient, new EventRecorderOptions { Component = StatefulSet.StatefulSetController.Name }, time, logs.CreateLogger<EventRecorder>());
        statefulSetEvents.Start();
        using var daemonSetClient = accounts.For(DaemonSet.DaemonSetController.Name);
        await using var daemonSetEvents = new EventRecorder(daemonSetClient, new EventRecorderOptions { Component = DaemonSet.DaemonSetController.EventComponent }, time, logs.CreateLogger<EventRecorder>());
        daemonSetEvents.Start();
        using var cronJobClient = accounts.For(CronJob.CronJobController.Name);
        await using var cronJobEvents = new EventRecorder(cronJobClient, new EventRecorderOptions { Component = CronJob.CronJobController.Name }, time, logs.CreateLogger<EventRecorder>());
        cronJobEvents.Start();
        using var volumeClient = accounts.For(PersistentVolume.PersistentVolumeController.Name);
        await using var volumeEvents = new EventRecorder(volumeClient, new EventRecorderOptions { Component = PersistentVolume.PersistentVolumeController.Name }, time, logs.CreateLogger<EventRecorder>());
        volumeEvents.Start();
        using var localPathClient = accounts.For(LocalPath.LocalPathProvisioner.Name);
        await using var localPathEvents = new EventRecorder(localPathClient, new EventRecorderOptions { Component = LocalPath.LocalPathProvisioner.ProvisionerName }, time, logs.CreateLogger<EventRecorder>());
        localPathEvents.Start();
        using var podGcClient = accounts.For(PodGarbageCollector.Name);
        using var serviceAccountClient = accounts.For(ServiceAccountsController.Name);
        using var rootCaClient = accounts.For(RootCaPublisher.RootCaPublisher.Name);

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
            caPem is null ? Task.CompletedTask : RootCaPublisher.RootCaPublisher.RunAsync(informers, rootCaClient, caPem, time, logs.CreateLogger<RootCaPublisher.RootCaPublisher>(), cancellationToken),
            Namespace.NamespaceController.RunAsync(informers, namespaceClient, options.NamespaceWorkers, time, logs.CreateLogger<Namespace.NamespaceController>(), cancellationToken),
            GarbageCollector.GarbageCollector.RunAsync(informers, collectorClient, options.GarbageCollectorWorkers, time, logs.CreateLogger<GarbageCollector.GarbageCollector>(), cancellationToken));
    }
}
