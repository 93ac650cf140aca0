using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodeResources;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodeResourcesFit;

/// <summary>
/// The node must have room for the pod's requests and one more pod (upstream NodeResourcesFit); among those that
/// do, the default LeastAllocated strategy prefers the emptiest.
/// </summary>
public sealed class NodeResourcesFitPlugin : IPreFilterPlugin, IFilterPlugin, IPreScorePlugin, IScorePlugin, IEnqueueExtensions
{
    public const string PluginName = "NodeResourcesFit";

    public const string ErrReasonTooManyPods = "Too many pods";

    private const string PreFilterKey = "PreFilter" + PluginName;
    private const string PreScoreKey = "PreScore" + PluginName;

    private readonly IReadOnlyList<ResourceSpec> _resources;

    /// <param name="scoringResources">What LeastAllocated weighs; the default profile's CPU and memory when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A weight outside 1-100 (upstream's args validation).</exception>
    public NodeResourcesFitPlugin(IReadOnlyList<ResourceSpec>? scoringResources = null)
    {
        _resources = scoringResources ?? ResourceSpec.Default;
        foreach (var resource in _resources)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(resource.Weight, 1, nameof(scoringResources));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(resource.Weight, IScorePlugin.MaxNodeScore, nameof(scoringResources));
        }
    }

    public string Name => PluginName;

    /// <summary>What the node lacks to run <paramref name="pod"/> (preemption asks this with victims removed).</summary>
    public static IReadOnlyList<InsufficientResource> Fits(V1Pod pod, NodeInfo node) => InsufficientResources(Resource.Requests(pod), node);

    /// <summary>
    /// Upstream fitsRequest: the pod count first, then each requested resource (CPU, memory, ephemeral storage,
    /// scalar resources by name) against allocatable minus what the node's pods request. Zero requests always fit.
    /// </summary>
    public static IReadOnlyList<InsufficientResource> InsufficientResources(Resource podRequest, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(podRequest);
        ArgumentNullException.ThrowIfNull(node);
        List<InsufficientResource>? insufficient = null;
        var allocatable = node.Allocatable;
        var requested = node.Requested;
        if (node.Pods.Count + 1 > allocatable.AllowedPodNumber)
        {
            (insufficient ??= []).Add(new(ResourceNames.Pods, ErrReasonTooManyPods, 1, node.Pods.Count, allocatable.AllowedPodNumber));
        }

        Check(ResourceNames.Cpu, podRequest.MilliCpu, requested.MilliCpu, allocatable.MilliCpu);
        Check(ResourceNames.Memory, podRequest.Memory, requested.Memory, allocatable.Memory);
        Check(ResourceNames.EphemeralStorage, podRequest.EphemeralStorage, requested.EphemeralStorage, allocatable.EphemeralStorage);

        // By name, so the reasons read the same every time (upstream walks a Go map).
        if (podRequest.Scalar.Count > 0)
        {
            foreach (var (name, quantity) in podRequest.Scalar.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Check(name, quantity, requested.Scalar.GetValueOrDefault(name), allocatable.Scalar.GetValueOrDefault(name));
            }
        }

        return insufficient ?? (IReadOnlyList<InsufficientResource>)[];

        void Check(string name, long wanted, long used, long capacity)
        {
            if (wanted > 0 && wanted > capacity - used)
            {
                (insufficient ??= []).Add(new(name, "Insufficient " + name, wanted, used, capacity));
            }
        }
    }

    public (PreFilterResult? Result, Status Status) PreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Write(PreFilterKey, new PreFilterState(Resource.Requests(pod)));
        return (null, Status.Success);
    }

    public Status Filter(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(state);
        var pre = state.Read<PreFilterState>(PreFilterKey);
        if (pre is null)
        {
            return Status.Error($"reading \"{PreFilterKey}\" from cycleState: not found");
        }

        var insufficient = InsufficientResources(pre.Requests, node);
        return insufficient.Count == 0 ? Status.Success : Status.Unschedulable([.. insufficient.Select(r => r.Reason)]);
    }

    public Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Write(PreScoreKey, new PreScoreState(ResourceAllocation.PodRequests(pod, _resources, useRequested: false)));
        return Status.Success;
    }

    /// <summary>LeastAllocated: per resource <c>(allocatable - requested) * 100 / allocatable</c>, weighted mean.</summary>
    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_resources.Count == 0)
        {
            return (0, Status.Error("resources not found"));
        }

        var podRequests = state.Read<PreScoreState>(PreScoreKey)?.PodRequests ?? ResourceAllocation.PodRequests(pod, _resources, useRequested: false);
        Span<long> requested = stackalloc long[_resources.Count];
        Span<long> allocatable = stackalloc long[_resources.Count];
        ResourceAllocation.ForNode(node, _resources, podRequests, useRequested: false, requested, allocatable);
        long score = 0, weights = 0;
        for (var i = 0; i < requested.Length; i++)
        {
            if (allocatable[i] == 0)
            {
                continue;
            }

            var free = requested[i] > allocatable[i] ? 0 : (allocatable[i] - requested[i]) * IScorePlugin.MaxNodeScore / allocatable[i];
            score += free * _resources[i].Weight;
            weights += _resources[i].Weight;
        }

        return (weights == 0 ? 0 : score / weights, Status.Success);
    }

    // Room appears when a pod on a node goes away or a node is added or grows (in-place pod resize, which would add
    // UpdatePodScaleDown, is off by default in v1.32); UpdateNodeTaint|UpdateNodeLabel as upstream registers them
    // when a pre-check may have swallowed a node's Add.
    public IReadOnlyList<ClusterEvent> EventsToRegister() =>
    [
        new(EventResource.AssignedPod, ActionType.Delete),
        new(EventResource.Node, ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel),
    ];
}
