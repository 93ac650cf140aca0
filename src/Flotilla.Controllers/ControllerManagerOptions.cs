namespace Flotilla.Controllers;

/// <summary>kube-controller-manager's flags that Flotilla honours.</summary>
public sealed record ControllerManagerOptions
{
    /// <summary><c>--concurrent-replicaset-syncs</c>.</summary>
    public int ReplicaSetWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-rc-syncs</c>.</summary>
    public int ReplicationControllerWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-deployment-syncs</c>.</summary>
    public int DeploymentWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-namespace-syncs</c>.</summary>
    public int NamespaceWorkers { get; init; } = 10;

    /// <summary><c>--concurrent-endpoint-syncs</c>.</summary>
    public int EndpointWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-service-endpoint-syncs</c> (EndpointSlices).</summary>
    public int EndpointSliceWorkers { get; init; } = 5;

    /// <summary><c>--max-endpoints-per-slice</c>.</summary>
    public int MaxEndpointsPerSlice { get; init; } = Endpoints.EndpointSliceReconciler.DefaultMaxEndpointsPerSlice;

    /// <summary><c>--concurrent-statefulset-syncs</c>.</summary>
    public int StatefulSetWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-daemonset-syncs</c>.</summary>
    public int DaemonSetWorkers { get; init; } = 2;

    /// <summary><c>--concurrent-job-syncs</c>.</summary>
    public int JobWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-cron-job-syncs</c>.</summary>
    public int CronJobWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-ttl-after-finished-syncs</c>.</summary>
    public int TtlAfterFinishedWorkers { get; init; } = 5;

    /// <summary><c>--concurrent-gc-syncs</c>.</summary>
    public int GarbageCollectorWorkers { get; init; } = 20;

    /// <summary><c>--node-monitor-period</c>: how often node heartbeats are checked.</summary>
    public TimeSpan NodeMonitorPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--node-monitor-grace-period</c>: silence after which a node is Unknown (50 s since v1.32).</summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(50);

    /// <summary><c>--node-startup-grace-period</c>: how long a new node may take to post its first status.</summary>
    public TimeSpan NodeStartupGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>--node-eviction-rate</c>: nodes tainted for eviction per second and zone.</summary>
    public double NodeEvictionRate { get; init; } = 0.1;

    /// <summary><c>--secondary-node-eviction-rate</c>: the rate in a partly disrupted large zone.</summary>
    public double SecondaryNodeEvictionRate { get; init; } = 0.01;

    /// <summary><c>--large-cluster-size-threshold</c>: smaller zones stop tainting when partly disrupted.</summary>
    public int LargeClusterSizeThreshold { get; init; } = 50;

    /// <summary><c>--unhealthy-zone-threshold</c>: the share of not-ready nodes that makes a zone partly disrupted.</summary>
    public double UnhealthyZoneThreshold { get; init; } = 0.55;

    /// <summary><c>--allocate-node-cidrs</c>: give every node a pod subnet (on in Flotilla, as in k3s).</summary>
    public bool AllocateNodeCidrs { get; init; } = true;

    /// <summary><c>--cluster-cidr</c>.</summary>
    public string ClusterCidr { get; init; } = "10.42.0.0/16";

    /// <summary><c>--node-cidr-mask-size</c>.</summary>
    public int NodeCidrMaskSize { get; init; } = 24;

    /// <summary><c>--terminated-pod-gc-threshold</c>: finished pods kept before the oldest are deleted (0 keeps all).</summary>
    public int TerminatedPodGcThreshold { get; init; } = 12500;

    /// <summary>
    /// <c>--cluster-signing-cert-file</c> and <c>-key-file</c>: the CA (with its key) that signs approved certificate
    /// requests; none leaves them unsigned.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClusterSigningCa { get; init; }

    /// <summary><c>--cluster-signing-duration</c>: the longest certificate it signs.</summary>
    public TimeSpan ClusterSigningDuration { get; init; } = TimeSpan.FromDays(365);

    /// <summary>How often the pod garbage collector looks (upstream's fixed 20 s; shorter in tests).</summary>
    public TimeSpan PodGcPeriod { get; init; } = PodGc.PodGarbageCollector.CheckPeriod;
}
