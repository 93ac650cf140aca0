using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.NodeResources;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.NodeResourcesBalancedAllocation;

/// <summary>
/// Prefers nodes whose resources would be used evenly with the pod on them (upstream
/// NodeResourcesBalancedAllocation): <c>(1 - std) * 100</c> over the fractions requested/allocatable.
/// </summary>
public sealed class NodeResourcesBalancedAllocationPlugin : IPreScorePlugin, IScorePlugin
{
    public const string PluginName = "NodeResourcesBalancedAllocation";

    private const string PreScoreKey = "PreScore" + PluginName;

    private readonly IReadOnlyList<ResourceSpec> _resources;

    /// <param name="resources">What to balance (weights are not used); the default profile's CPU and memory when null.</param>
    public NodeResourcesBalancedAllocationPlugin(IReadOnlyList<ResourceSpec>? resources = null)
    {
        _resources = resources ?? ResourceSpec.Default;
    }

    public string Name => PluginName;

    public Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Write(PreScoreKey, new PreScoreState(ResourceAllocation.PodRequests(pod, _resources, useRequested: true)));
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_resources.Count == 0)
        {
            return (0, Status.Error("resources not found"));
        }

        var podRequests = state.Read<PreScoreState>(PreScoreKey)?.PodRequests ?? ResourceAllocation.PodRequests(pod, _resources, useRequested: true);
        Span<long> requested = stackalloc long[_resources.Count];
        Span<long> allocatable = stackalloc long[_resources.Count];
        ResourceAllocation.ForNode(node, _resources, podRequests, useRequested: true, requested, allocatable);
        return (BalancedScore(requested, allocatable), Status.Success);
    }

    /// <summary>
    /// Each fraction is capped at 1. With two resources the standard deviation is half their difference; with
    /// more, the usual root mean square deviation; with fewer, zero.
    /// </summary>
    internal static long BalancedScore(ReadOnlySpan<long> requested, ReadOnlySpan<long> allocatable)
    {
        Span<double> buffer = stackalloc double[requested.Length];
        var count = 0;
        for (var i = 0; i < requested.Length; i++)
        {
            if (allocatable[i] != 0)
            {
                buffer[count++] = Math.Min(1.0, (double)requested[i] / allocatable[i]);
            }
        }

        ReadOnlySpan<double> fractions = buffer[..count];

        var std = 0.0;
        if (fractions.Length == 2)
        {
            std = Math.Abs((fractions[0] - fractions[1]) / 2);
        }
        else if (fractions.Length > 2)
        {
            // Summed in order, as upstream, so the result rounds the same.
            var total = 0.0;
            foreach (var fraction in fractions)
            {
                total += fraction;
            }

            var mean = total / fractions.Length;
            var squares = 0.0;
            foreach (var fraction in fractions)
            {
                squares += (fraction - mean) * (fraction - mean);
            }

            std = Math.Sqrt(squares / fractions.Length);
        }

        return (long)((1 - std) * IScorePlugin.MaxNodeScore);
    }
}
