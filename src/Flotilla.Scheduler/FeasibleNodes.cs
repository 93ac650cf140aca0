using Flotilla.Scheduler.Cache;
using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Runtime;
using k8s.Models;

namespace Flotilla.Scheduler;

/// <summary>
/// The Filter half of a cycle (upstream findNodesThatFitPod): the nodes a pod may run on, evaluated from a start that
/// rotates from cycle to cycle so every node gets its turn, stopping once enough are found.
/// </summary>
internal sealed class FeasibleNodes(SchedulingFramework framework, Snapshot snapshot, int percentageOfNodesToScore)
{
    private const int MinFeasibleNodesToFind = 100;
    private const int MinFeasibleNodesPercentageToFind = 5;

    private int _nextStartNodeIndex;

    /// <summary>
    /// Runs PreFilter, then Filter over the nodes from a rotating start until enough feasible ones are found
    /// (upstream's percentageOfNodesToScore), a pod's nominated node first. Returns the feasible nodes and the
    /// rejections (the FitError when none is feasible).
    /// </summary>
    public (List<NodeInfo> Feasible, FitError? FitError, Status? Error) Find(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> all)
    {
        var statuses = new NodeToStatus();
        var pre = framework.RunPreFilter(state, pod, all);
        if (pre.Status.Code == StatusCode.Error)
        {
            return ([], null, pre.Status);
        }

        if (!pre.Status.IsSuccess)
        {
            foreach (var node in all)
            {
                statuses.Set(node.Name, pre.Status);
            }

            return ([], new FitError(all.Count, statuses, pre.Status.Message, pre.RejectingPlugins), null);
        }

        if (pod.Status?.NominatedNodeName is { Length: > 0 } nominated && snapshot.Get(nominated) is { } nominatedNode
            && framework.RunFilterPluginsWithNominatedPods(state, pod, nominatedNode).IsSuccess)
        {
            return ([nominatedNode], new FitError(all.Count, statuses, null, new HashSet<string>()), null);
        }

        var candidates = pre.Result is { AllNodes: false } narrowed ? [.. all.Where(n => narrowed.NodeNames!.Contains(n.Name))] : all;
        var wanted = NumToFind(candidates.Count, percentageOfNodesToScore);
        var feasible = new NodeInfo?[Math.Min(wanted, candidates.Count)];
        var found = 0;
        var processed = 0;
        var start = candidates.Count == 0 ? 0 : _nextStartNodeIndex % candidates.Count;
        var chunk = Parallelism.ChunkSize(candidates.Count);
        var chunks = (candidates.Count + chunk - 1) / chunk;
        Parallel.For(0, chunks, Parallelism.Options, (c, loop) =>
        {
            var done = 0;
            for (var i = c * chunk; i < Math.Min(candidates.Count, (c + 1) * chunk); i++)
            {
                if (Volatile.Read(ref found) >= wanted)
                {
                    loop.Stop();
                    break;
                }

                var node = candidates[(start + i) % candidates.Count];
                done++;
                var status = framework.RunFilterPluginsWithNominatedPods(state, pod, node);
                if (status.IsSuccess)
                {
                    // Slots in the order nodes pass, as upstream's atomic index: the array is only as long as needed.
                    var slot = Interlocked.Increment(ref found);
                    if (slot <= wanted)
                    {
                        feasible[slot - 1] = node;
                    }
                }
                else
                {
                    statuses.Set(node.Name, status);
                }
            }

            Interlocked.Add(ref processed, done);
        });
        if (pre.Result is { AllNodes: false })
        {
            statuses.AbsentStatus = Status.Unresolvable(SchedulingFramework.NotSatisfied(pre.RejectingPlugins));
        }

        _nextStartNodeIndex = candidates.Count == 0 ? 0 : (start + processed) % candidates.Count;
        var plugins = statuses.Statuses.Values.Select(s => s.Plugin).OfType<string>().Concat(pre.RejectingPlugins).ToHashSet(StringComparer.Ordinal);
        return ([.. feasible.OfType<NodeInfo>()], new FitError(all.Count, statuses, null, plugins), null);
    }

    /// <summary>Upstream numFeasibleNodesToFind: all below 100 nodes; else the percentage, at least 100.</summary>
    public static int NumToFind(int numAllNodes, int percentageOfNodesToScore)
    {
        if (numAllNodes < MinFeasibleNodesToFind)
        {
            return numAllNodes;
        }

        var percentage = percentageOfNodesToScore;
        if (percentage <= 0)
        {
            percentage = Math.Max(50 - (numAllNodes / 125), MinFeasibleNodesPercentageToFind);
        }

        return Math.Max(numAllNodes * percentage / 100, MinFeasibleNodesToFind);
    }
}
