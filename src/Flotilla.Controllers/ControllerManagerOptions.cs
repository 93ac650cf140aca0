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

    /// <summary><c>--concurrent-gc-syncs</c>.</summary>
    public int GarbageCollectorWorkers { get; init; } = 20;
}
