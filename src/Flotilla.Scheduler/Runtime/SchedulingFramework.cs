using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Scheduler.Framework;
using k8s;
using k8s.Models;

namespace Flotilla.Scheduler.Runtime;

/// <summary>
/// Runs a profile's plugins at each extension point (upstream frameworkImpl) and is the handle plugins get. Filter
/// stops at a node's first rejection; scores are normalised per plugin, weighted and summed.
/// </summary>
public sealed class SchedulingFramework : IFrameworkHandle
{
    private readonly Func<string, IReadOnlyList<PodInfo>> _nominated;
    private PluginSet _plugins = new([]);
    private NodeScore[][] _scores = [];

    public SchedulingFramework(
        IKubernetes client,
        SharedInformerFactory informers,
        IEventRecorder recorder,
        TimeProvider time,
        INodeInfoLister snapshot,
        Func<string, IReadOnlyList<PodInfo>> nominatedPodsForNode)
    {
        Client = client;
        Informers = informers;
        Recorder = recorder;
        Time = time;
        Snapshot = snapshot;
        _nominated = nominatedPodsForNode;
    }

    public INodeInfoLister Snapshot { get; }

    public IKubernetes Client { get; }

    public SharedInformerFactory Informers { get; }

    public IEventRecorder Recorder { get; }

    public TimeProvider Time { get; }

    public PluginSet Plugins => _plugins;

    /// <summary>Builds the plugins (each factory gets this handle); called once, before scheduling starts.</summary>
    public void Build(IEnumerable<(Func<IFrameworkHandle, IPlugin> Factory, int Weight)> profile) =>
        _plugins = new PluginSet(profile.Select(p => (p.Factory(this), p.Weight)));

    public IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName) => _nominated(nodeName);

    public PreFilterOutcome RunPreFilter(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        PreFilterResult? merged = null;
        var rejecting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plugin in _plugins.PreFilter)
        {
            var (result, status) = plugin.PreFilter(state, pod, nodes);
            if (status.Code == StatusCode.Skip)
            {
                state.SkipFilterPlugins.Add(plugin.Name);
                continue;
            }

            if (!status.IsSuccess)
            {
                rejecting.Add(plugin.Name);
                return new PreFilterOutcome(null, status.WithPlugin(plugin.Name), rejecting);
            }

            if (result is { AllNodes: false })
            {
                // Nodes a plugin leaves out count as rejected by it (upstream's absent-nodes status).
                rejecting.Add(plugin.Name);
                merged = (merged ?? result).Merge(result);
                if (merged.NodeNames!.Count == 0)
                {
                    return new PreFilterOutcome(merged, Status.Unresolvable(NotSatisfied(rejecting)).WithPlugin(plugin.Name), rejecting);
                }
            }
        }

        return new PreFilterOutcome(merged, Status.Success, rejecting);
    }

    /// <summary>Upstream's message for nodes PreFilter left out: <c>node(s) didn't satisfy plugin(s) [NodeAffinity]</c>.</summary>
    public static string NotSatisfied(IEnumerable<string> plugins) =>
        "node(s) didn't satisfy plugin(s) [" + string.Join(" ", plugins.Order(StringComparer.Ordinal)) + "]";

    public Status RunFilter(CycleState state, V1Pod pod, NodeInfo node)
    {
        var filters = _plugins.Filter;
        var skip = state.SkipFilterPlugins.Count > 0 ? state.SkipFilterPlugins : null;
        for (var i = 0; i < filters.Length; i++)
        {
            var plugin = filters[i];
            if (skip?.Contains(plugin.Name) == true)
            {
                continue;
            }

            var status = plugin.Filter(state, pod, node);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>
    /// Upstream's two passes: with the pods preemption nominated to this node (of at least this pod's priority)
    /// counted as placed, then without them — the pod must fit both ways.
    /// </summary>
    public Status RunFilterPluginsWithNominatedPods(CycleState state, V1Pod pod, NodeInfo node)
    {
        var all = _nominated(node.Name);
        if (all.Count == 0)
        {
            return RunFilter(state, pod, node);
        }

        var priority = pod.Spec?.Priority ?? 0;
        var nominated = all.Where(p => (p.Pod.Spec?.Priority ?? 0) >= priority && p.Pod.Metadata.Uid != pod.Metadata.Uid).ToList();
        if (nominated.Count > 0)
        {
            var withNominated = state.Clone();
            var copy = node.Clone();
            foreach (var p in nominated)
            {
                copy.AddPod(p);
                var added = RunPreFilterExtensionAddPod(withNominated, pod, p, copy);
                if (!added.IsSuccess)
                {
                    return added;
                }
            }

            var status = RunFilter(withNominated, pod, copy);
            if (!status.IsSuccess)
            {
                return status;
            }
        }

        return RunFilter(state, pod, node);
    }

    public Status RunPreFilterExtensionAddPod(CycleState state, V1Pod podToSchedule, PodInfo podToAdd, NodeInfo node)
    {
        foreach (var plugin in _plugins.PreFilter)
        {
            if (plugin.Extensions is { } extensions && !state.SkipFilterPlugins.Contains(plugin.Name))
            {
                var status = extensions.AddPod(state, podToSchedule, podToAdd, node);
                if (!status.IsSuccess)
                {
                    return status.WithPlugin(plugin.Name);
                }
            }
        }

        return Status.Success;
    }

    public Status RunPreFilterExtensionRemovePod(CycleState state, V1Pod podToSchedule, PodInfo podToRemove, NodeInfo node)
    {
        foreach (var plugin in _plugins.PreFilter)
        {
            if (plugin.Extensions is { } extensions && !state.SkipFilterPlugins.Contains(plugin.Name))
            {
                var status = extensions.RemovePod(state, podToSchedule, podToRemove, node);
                if (!status.IsSuccess)
                {
                    return status.WithPlugin(plugin.Name);
                }
            }
        }

        return Status.Success;
    }

    public async Task<(PostFilterResult? Result, Status Status)> RunPostFilterAsync(CycleState state, V1Pod pod, NodeToStatus filtered, CancellationToken cancellationToken)
    {
        var last = Status.Unschedulable();
        foreach (var plugin in _plugins.PostFilter)
        {
            var (result, status) = await plugin.PostFilterAsync(state, pod, filtered, cancellationToken);
            if (status.IsSuccess)
            {
                return (result, status);
            }

            if (status.Code == StatusCode.Error)
            {
                return (null, status.WithPlugin(plugin.Name));
            }

            last = status.WithPlugin(plugin.Name);
        }

        return (null, last);
    }

    public Status RunPreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        foreach (var plugin in _plugins.PreScore)
        {
            var status = plugin.PreScore(state, pod, nodes);
            if (status.Code == StatusCode.Skip)
            {
                state.SkipScorePlugins.Add(plugin.Name);
            }
            else if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>Each node's weighted total over the Score plugins; nodes are scored in parallel.</summary>
    public (long[] Totals, Status Status) RunScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        var plugins = _plugins.Score.Where(p => !state.SkipScorePlugins.Contains(p.Plugin.Name)).ToList();
        var scores = ScoreBuffers(plugins.Count, nodes.Count);
        Status? failure = null;
        Parallelism.ForChunks(nodes.Count, (from, to) =>
        {
            for (var i = from; i < to; i++)
            {
                for (var p = 0; p < plugins.Count; p++)
                {
                    var (score, status) = plugins[p].Plugin.Score(state, pod, nodes[i]);
                    if (!status.IsSuccess)
                    {
                        Interlocked.CompareExchange(ref failure, status.WithPlugin(plugins[p].Plugin.Name), null);
                    }

                    scores[p][i] = new NodeScore(nodes[i].Name, score);
                }
            }
        });
        if (failure is not null)
        {
            return ([], failure);
        }

        var totals = new long[nodes.Count];
        for (var p = 0; p < plugins.Count; p++)
        {
            var status = plugins[p].Plugin.NormalizeScore(state, pod, scores[p]);
            if (!status.IsSuccess)
            {
                return ([], status.WithPlugin(plugins[p].Plugin.Name));
            }

            for (var i = 0; i < nodes.Count; i++)
            {
                var score = scores[p][i].Score;
                if (score is < 0 or > IScorePlugin.MaxNodeScore)
                {
                    return ([], Status.Error($"plugin {plugins[p].Plugin.Name} returns an invalid score {score}, it should in the range of [0, 100] after normalizing"));
                }

                totals[i] += score * plugins[p].Weight;
            }
        }

        return (totals, Status.Success);
    }

    /// <summary>
    /// Score arrays reused from cycle to cycle (cycles run one at a time, and the feasible count is mostly the same):
    /// a 5,000-node cluster would otherwise allocate tens of kilobytes per pod.
    /// </summary>
    private NodeScore[][] ScoreBuffers(int plugins, int nodes)
    {
        if (_scores.Length != plugins || (plugins > 0 && _scores[0].Length != nodes))
        {
            _scores = [.. Enumerable.Range(0, plugins).Select(_ => new NodeScore[nodes])];
        }

        return _scores;
    }

    public Status RunReserve(CycleState state, V1Pod pod, string nodeName)
    {
        foreach (var plugin in _plugins.Reserve)
        {
            var status = plugin.Reserve(state, pod, nodeName);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    /// <summary>Unreserve runs in reverse order, as upstream.</summary>
    public void RunUnreserve(CycleState state, V1Pod pod, string nodeName)
    {
        for (var i = _plugins.Reserve.Count - 1; i >= 0; i--)
        {
            _plugins.Reserve[i].Unreserve(state, pod, nodeName);
        }
    }

    public Status RunPermit(CycleState state, V1Pod pod, string nodeName)
    {
        foreach (var plugin in _plugins.Permit)
        {
            var (status, _) = plugin.Permit(state, pod, nodeName);
            if (!status.IsSuccess)
            {
                // Waiting pods are not supported by any built-in plugin; a Wait is treated as a rejection.
                return status.Code == StatusCode.Wait ? Status.Unschedulable($"pod {pod.Metadata.Name} rejected while waiting on permit").WithPlugin(plugin.Name) : status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    public async Task<Status> RunPreBindAsync(CycleState state, V1Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        foreach (var plugin in _plugins.PreBind)
        {
            var status = await plugin.PreBindAsync(state, pod, nodeName, cancellationToken);
            if (!status.IsSuccess)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Success;
    }

    public async Task<Status> RunBindAsync(CycleState state, V1Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        foreach (var plugin in _plugins.Bind)
        {
            var status = await plugin.BindAsync(state, pod, nodeName, cancellationToken);
            if (status.Code != StatusCode.Skip)
            {
                return status.WithPlugin(plugin.Name);
            }
        }

        return Status.Error("no bind plugin bound the pod");
    }
}
