using System.Collections.Concurrent;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Scheduler.Cache;
using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Queue;
using Flotilla.Scheduler.Runtime;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Scheduler;

/// <summary>
/// kube-scheduler's loop: pop the next pod, find the nodes that fit (Filter, in parallel, stopping once enough are
/// found), rank them (Score), assume the pod on the best one so the next decision sees it, and bind asynchronously
/// while the next pod is scheduled. A pod that fits nowhere gets preemption's chance, a PodScheduled=False
/// condition and a FailedScheduling event, and waits in the queue for a cluster change that may help.
/// </summary>
public sealed partial class Scheduler
{
    private readonly IKubernetes _client;
    private readonly SharedInformerFactory _informers;
    private readonly IEventRecorder _recorder;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<Scheduler> _log;
    private readonly Snapshot _snapshot = new();
    private readonly Random _random;
    private readonly ConcurrentDictionary<Task, byte> _binding = new();
    private readonly SharedInformer<V1Pod> _pods;
    private readonly FeasibleNodes _feasible;

    public Scheduler(
        IKubernetes client,
        SharedInformerFactory informers,
        IEventRecorder recorder,
        SchedulerOptions options,
        TimeProvider time,
        ILogger<Scheduler> log,
        IEnumerable<(Func<IFrameworkHandle, IPlugin> Factory, int Weight)>? profile = null)
    {
        _client = client;
        _informers = informers;
        _recorder = recorder;
        _options = options;
        _time = time;
        _log = log;
        _random = options.Seed is { } seed ? new Random(seed) : new Random();
        SchedulingQueue? queue = null;
        Framework = new SchedulingFramework(client, informers, recorder, time, _snapshot, node => queue?.NominatedPodsForNode(node) ?? []);
        Framework.Build(profile ?? Plugins.PluginRegistry.DefaultProfile);
        _feasible = new FeasibleNodes(Framework, _snapshot, options.PercentageOfNodesToScore);
        var namespaces = informers.Informer<V1Namespace>().Lister;
        Queue = queue = new SchedulingQueue(time, PluginEvents.From(Framework.Plugins.All), new SchedulingQueueOptions
        {
            PodInitialBackoff = options.PodInitialBackoff,
            PodMaxBackoff = options.PodMaxBackoff,
            NamespaceLabels = ns => namespaces.Get(ns)?.Metadata?.Labels as IReadOnlyDictionary<string, string>,
        });
        _pods = informers.Informer<V1Pod>(new InformerOptions { FieldSelector = "status.phase!=Succeeded,status.phase!=Failed" });
        SchedulerEventHandlers.Register(this, _pods, informers.Informer<V1Node>(), informers);
    }

    public SchedulerCache Cache { get; } = new();

    public SchedulingQueue Queue { get; }

    public SchedulingFramework Framework { get; }

    public SchedulerOptions Options => _options;

    /// <summary>Raised after each successful bind with the pod, its node and the attempt's duration (pop to bound).</summary>
    public event Action<V1Pod, string, TimeSpan>? Bound;

    /// <summary>Starts the informers, waits for them, and schedules until cancelled; in-flight binds finish first.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _informers.Start();
        try
        {
            await _informers.WaitForCacheSyncAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        LogStarted(_log, _options.SchedulerName, Cache.NodeCount);
        var queueLoop = Queue.RunAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await ScheduleOneAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await Task.WhenAll(_binding.Keys);
            await queueLoop;
        }
    }

    /// <summary>One scheduling cycle for the next pod in the queue.</summary>
    public async Task ScheduleOneAsync(CancellationToken cancellationToken)
    {
        var queued = await Queue.PopAsync(cancellationToken);
        var pod = queued.PodInfo.Pod;
        if (IsStale(pod))
        {
            Queue.Done(pod.Metadata.Uid);
            return;
        }

        var started = _time.GetTimestamp();
        var state = new CycleState();
        Cache.UpdateSnapshot(_snapshot);
        var (result, failure) = await SchedulePodAsync(state, pod, cancellationToken);
        if (result is null)
        {
            await HandleFailureAsync(queued, failure!, state, cancellationToken);
            SchedulerMetrics.Attempts.WithLabels(failure is FitFailure ? "unschedulable" : "error", _options.SchedulerName).Inc();
            SchedulerMetrics.AttemptDuration.WithLabels(failure is FitFailure ? "unschedulable" : "error", _options.SchedulerName).Observe(_time.GetElapsedTime(started).TotalSeconds);
            Queue.Done(pod.Metadata.Uid);
            return;
        }

        // Assume: the cache counts the pod on the node now, so the next cycle sees it before the bind lands.
        var assumed = pod with { Spec = pod.Spec with { NodeName = result.SuggestedHost } };
        Cache.AssumePod(new PodInfo(assumed));
        var reserved = Framework.RunReserve(state, assumed, result.SuggestedHost);
        var permitted = reserved.IsSuccess ? Framework.RunPermit(state, assumed, result.SuggestedHost) : reserved;
        if (!permitted.IsSuccess)
        {
            Framework.RunUnreserve(state, assumed, result.SuggestedHost);
            Cache.ForgetPod(assumed);
            await HandleFailureAsync(queued, new StatusFailure(permitted), state, cancellationToken);
            Queue.Done(pod.Metadata.Uid);
            return;
        }

        var bind = BindAsync(queued, state, assumed, result.SuggestedHost, started, CancellationToken.None);
        _binding.TryAdd(bind, 0);
        _ = bind.ContinueWith(t => _binding.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Filters and scores; a null result comes with why.</summary>
    internal async Task<(ScheduleResult? Result, SchedulingFailure? Failure)> SchedulePodAsync(CycleState state, V1Pod pod, CancellationToken cancellationToken)
    {
        var nodes = _snapshot.List();
        if (nodes.Count == 0)
        {
            return (null, new StatusFailure(Status.Unschedulable(FitError.NoNodesAvailable)));
        }

        var (feasible, fitError, error) = _feasible.Find(state, pod, nodes);
        if (error is not null)
        {
            return (null, new StatusFailure(error));
        }

        if (feasible.Count == 0)
        {
            var (postResult, postStatus) = await Framework.RunPostFilterAsync(state, pod, fitError!.Statuses, cancellationToken);
            var postMessage = postStatus.IsSuccess || postStatus.Reasons.Count == 0 ? null : postStatus.Message;
            return (null, new FitFailure(fitError with { PostFilterMessage = postMessage }, postResult?.NominatedNodeName));
        }

        if (feasible.Count == 1)
        {
            return (new ScheduleResult(feasible[0].Name), null);
        }

        var preScore = Framework.RunPreScore(state, pod, feasible);
        if (!preScore.IsSuccess)
        {
            return (null, new StatusFailure(preScore));
        }

        var (totals, scored) = Framework.RunScore(state, pod, feasible);
        if (!scored.IsSuccess)
        {
            return (null, new StatusFailure(scored));
        }

        return (new ScheduleResult(SelectHost(feasible, totals)), null);
    }

    /// <summary>The highest total; ties broken at random (reservoir sampling), as upstream.</summary>
    private string SelectHost(List<NodeInfo> nodes, long[] totals)
    {
        var best = 0;
        var ties = 1;
        for (var i = 1; i < nodes.Count; i++)
        {
            if (totals[i] > totals[best])
            {
                best = i;
                ties = 1;
            }
            else if (totals[i] == totals[best] && _random.Next(++ties) == 0)
            {
                best = i;
            }
        }

        return nodes[best].Name;
    }

    private async Task BindAsync(QueuedPodInfo queued, CycleState state, V1Pod assumed, string node, long started, CancellationToken cancellationToken)
    {
        try
        {
            var status = await Framework.RunPreBindAsync(state, assumed, node, cancellationToken);
            if (status.IsSuccess)
            {
                status = await Framework.RunBindAsync(state, assumed, node, cancellationToken);
            }

            if (!status.IsSuccess)
            {
                Framework.RunUnreserve(state, assumed, node);
                Cache.ForgetPod(assumed);
                // The node has room again: pods waiting for room may fit now.
                Queue.MoveAllToActiveOrBackoffQueue(new ClusterEvent(EventResource.AssignedPod, ActionType.Delete), assumed, null);
                await HandleFailureAsync(queued, new StatusFailure(status), state, cancellationToken);
                SchedulerMetrics.Attempts.WithLabels("error", _options.SchedulerName).Inc();
                return;
            }

            _recorder.Event(assumed, EventTypes.Normal, "Scheduled", $"Successfully assigned {assumed.Metadata.NamespaceProperty}/{assumed.Metadata.Name} to {node}");
            LogScheduled(_log, assumed.Metadata.NamespaceProperty, assumed.Metadata.Name, node);
            SchedulerMetrics.Attempts.WithLabels("scheduled", _options.SchedulerName).Inc();
            var elapsed = _time.GetElapsedTime(started);
            SchedulerMetrics.AttemptDuration.WithLabels("scheduled", _options.SchedulerName).Observe(elapsed.TotalSeconds);
            Bound?.Invoke(assumed, node, elapsed);
        }
        catch (Exception e)
        {
            LogBindFailed(_log, e, assumed.Metadata.NamespaceProperty, assumed.Metadata.Name, node);
            Cache.ForgetPod(assumed);
        }
        finally
        {
            Queue.Done(assumed.Metadata.Uid);
        }
    }

    /// <summary>
    /// Upstream's handleSchedulingFailure: requeue (if the pod still waits for us), a FailedScheduling event, and
    /// the PodScheduled=False condition (and nominated node) on the pod when they change.
    /// </summary>
    private async Task HandleFailureAsync(QueuedPodInfo queued, SchedulingFailure failure, CycleState state, CancellationToken cancellationToken)
    {
        var pod = queued.PodInfo.Pod;
        var (reason, message, plugins, nominated) = failure switch
        {
            FitFailure fit => ("Unschedulable", fit.Error.Message, fit.Error.UnschedulablePlugins, fit.NominatedNodeName),
            StatusFailure { Status.IsRejected: true } s => ("Unschedulable", s.Status.Message, (IReadOnlySet<string>)(s.Status.Plugin is { } p ? new HashSet<string> { p } : []), null),
            StatusFailure s => ("SchedulerError", s.Status.Message, new HashSet<string>(), null),
            _ => ("SchedulerError", "unknown failure", new HashSet<string>(), null),
        };

        queued.UnschedulablePlugins.Clear();
        queued.UnschedulablePlugins.UnionWith(plugins);
        var current = _pods.Lister.Get(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        if (current is not null && current.Metadata.Uid == pod.Metadata.Uid && string.IsNullOrEmpty(current.Spec.NodeName))
        {
            if (nominated is not null)
            {
                Queue.AddNominatedPod(queued.PodInfo, nominated);
            }

            Queue.AddUnschedulableIfNotPresent(queued, Queue.SchedulingCycle);
        }

        LogUnschedulable(_log, pod.Metadata.NamespaceProperty, pod.Metadata.Name, message);
        _recorder.Event(pod, EventTypes.Warning, "FailedScheduling", message);
        await PodStatusPatch.ApplyAsync(_client, current ?? pod, reason, message, nominated, _time, cancellationToken);
    }

    /// <summary>A pod deleted, bound or assumed since it was queued is not scheduled again.</summary>
    private bool IsStale(V1Pod pod)
    {
        var current = _pods.Lister.Get(pod.Metadata.NamespaceProperty, pod.Metadata.Name);
        return current is null || current.Metadata.Uid != pod.Metadata.Uid || !string.IsNullOrEmpty(current.Spec.NodeName) || Cache.IsAssumed(pod);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scheduler {SchedulerName} started with {Nodes} nodes")]
    private static partial void LogStarted(ILogger log, string schedulerName, int nodes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "pod {Namespace}/{Name} bound to {Node}")]
    private static partial void LogScheduled(ILogger log, string @namespace, string name, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "pod {Namespace}/{Name} unschedulable: {Message}")]
    private static partial void LogUnschedulable(ILogger log, string @namespace, string name, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "binding pod {Namespace}/{Name} to {Node} failed")]
    private static partial void LogBindFailed(ILogger log, Exception exception, string @namespace, string name, string node);
}
