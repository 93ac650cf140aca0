using Flotilla.Client;
using Flotilla.Scheduler.Framework;
using k8s.Models;
using Prometheus;

namespace Flotilla.Scheduler.Queue;

/// <summary>
/// kube-scheduler's PriorityQueue: an active heap (priority, then age), a backoff heap (by back-off expiry), the
/// unschedulable pods waiting for an event that may help them, and gated pods held back by scheduling gates. One
/// lock guards it all; only <see cref="PopAsync"/> waits, and never while holding it.
/// </summary>
public sealed class SchedulingQueue : ISchedulingQueue
{
    private const string PodTopologySpread = "PodTopologySpread";

    private static readonly TimeSpan BackoffFlushPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan UnschedulableFlushPeriod = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly SchedulingQueueOptions _options;
    private readonly RequeuePolicy _policy;
    private readonly QueueMetrics _metrics;
    private readonly KeyedHeap<QueuedPodInfo> _active = new(p => p.Key, PrioritySort.Instance);
    private readonly BackoffQueue _backoff;
    private readonly Dictionary<string, QueuedPodInfo> _unschedulable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueuedPodInfo> _gated = new(StringComparer.Ordinal);
    private readonly InFlightPods _inFlight = new();
    private readonly Nominator _nominator = new();
    private TaskCompletionSource? _popped;
    private long _schedulingCycle;
    private long _moveRequestCycle = -1;
    private long _sequence;

    /// <param name="pluginEvents">
    /// The events each plugin registered (<see cref="PluginEvents.From"/>); a plugin missing here is taken to care about
    /// every event, as upstream treats plugins without EnqueueExtensions.
    /// </param>
    public SchedulingQueue(TimeProvider time, IReadOnlyDictionary<string, IReadOnlyList<ClusterEvent>> pluginEvents, SchedulingQueueOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(pluginEvents);
        _time = time;
        _policy = new RequeuePolicy(pluginEvents);
        _options = options ?? new SchedulingQueueOptions();
        _backoff = new BackoffQueue(time, _options.PodInitialBackoff, _options.PodMaxBackoff);
        _metrics = new QueueMetrics(_options.Metrics ?? Metrics.DefaultFactory);
    }

    public long SchedulingCycle
    {
        get { lock (_gate) { return _schedulingCycle; } }
    }

    public void Add(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (_gate)
        {
            MoveToActive(NewQueuedPodInfo(pod), QueueEvents.PodAdd);
            Published();
        }
    }

    public void Update(V1Pod? oldPod, V1Pod newPod)
    {
        ArgumentNullException.ThrowIfNull(newPod);
        lock (_gate)
        {
            UpdateLocked(oldPod, newPod);
            Published();
        }
    }

    public void Delete(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (_gate)
        {
            _nominator.Delete(pod);
            var key = ObjectKeys.Of(pod);
            _active.Remove(key, out _);
            _backoff.Remove(key);
            _unschedulable.Remove(key);
            _gated.Remove(key);
            Published();
        }
    }

    public async Task<QueuedPodInfo> PopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task popped;
            lock (_gate)
            {
                while (_active.TryPop(out var info))
                {
                    // A pod already in flight is tracked twice (re-added while being scheduled): drop this copy, as upstream.
                    if (!_inFlight.TryAdd(info.Pod))
                    {
                        continue;
                    }

                    info.Attempts++;
                    _schedulingCycle++;
                    Published();
                    return info;
                }

                _popped ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                popped = _popped.Task;
            }

            await popped.WaitAsync(cancellationToken);
        }
    }

    public bool AddUnschedulableIfNotPresent(QueuedPodInfo podInfo, long podSchedulingCycle)
    {
        ArgumentNullException.ThrowIfNull(podInfo);
        lock (_gate)
        {
            try
            {
                var key = podInfo.Key;
                if (_unschedulable.ContainsKey(key) || _active.Contains(key) || _backoff.Contains(key) || _gated.ContainsKey(key))
                {
                    return false;
                }

                Stamp(podInfo);
                Requeue(podInfo, StrategyAfterAttempt(podInfo, podSchedulingCycle), QueueEvents.ScheduleAttemptFailure);
                return true;
            }
            finally
            {
                _inFlight.Done(podInfo.Uid);
                Published();
            }
        }
    }

    public void Done(string uid)
    {
        lock (_gate)
        {
            _inFlight.Done(uid);
        }
    }

    public void MoveAllToActiveOrBackoffQueue(ClusterEvent clusterEvent, object? oldObject, object? newObject)
    {
        lock (_gate)
        {
            MovePods([.. _unschedulable.Values], clusterEvent, oldObject, newObject);
            Published();
        }
    }

    public void AssignedPodAdded(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (_gate)
        {
            MovePods(WithCrossTopologyTerm(pod), new ClusterEvent(EventResource.AssignedPod, ActionType.Add), null, pod);
            Published();
        }
    }

    public void AssignedPodUpdated(V1Pod oldPod, V1Pod newPod, ClusterEvent clusterEvent)
    {
        ArgumentNullException.ThrowIfNull(newPod);
        lock (_gate)
        {
            // A pod that shrank frees room for pods any plugin rejected; other changes only matter to pods whose
            // affinity or topology spread counts this pod.
            var candidates = RequeuePolicy.IsScaleDown(clusterEvent) ? [.. _unschedulable.Values] : WithCrossTopologyTerm(newPod);
            MovePods(candidates, clusterEvent, oldPod, newPod);
            Published();
        }
    }

    public void AddNominatedPod(PodInfo podInfo, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(podInfo);
        ArgumentNullException.ThrowIfNull(nodeName);
        lock (_gate)
        {
            _nominator.Add(podInfo, nodeName);
        }
    }

    public void DeleteNominatedPodIfExists(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (_gate)
        {
            _nominator.Delete(pod);
        }
    }

    public IReadOnlyList<PodInfo> NominatedPodsForNode(string nodeName)
    {
        if (_nominator.Count == 0)
        {
            return [];
        }

        lock (_gate)
        {
            return _nominator.ForNode(nodeName);
        }
    }

    public IReadOnlyList<PendingPod> PendingPods()
    {
        lock (_gate)
        {
            return
            [
                .. _active.Items.Select(p => new PendingPod(p.Pod, PendingQueue.Active)),
                .. _backoff.Items.Select(p => new PendingPod(p.Pod, PendingQueue.Backoff)),
                .. _unschedulable.Values.Select(p => new PendingPod(p.Pod, PendingQueue.Unschedulable)),
                .. _gated.Values.Select(p => new PendingPod(p.Pod, PendingQueue.Gated)),
            ];
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var backoff = _time.CreateTimer(_ => FlushBackoffCompleted(), null, BackoffFlushPeriod, BackoffFlushPeriod);
        using var leftover = _time.CreateTimer(_ => FlushUnschedulableLeftover(), null, UnschedulableFlushPeriod, UnschedulableFlushPeriod);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of the loop.
        }
    }

    /// <summary>Moves the pods whose back-off is over to the active queue (upstream flushBackoffQCompleted).</summary>
    private void FlushBackoffCompleted()
    {
        lock (_gate)
        {
            foreach (var info in _backoff.PopCompleted())
            {
                MoveToActive(info, QueueEvents.BackoffComplete);
            }

            Published();
        }
    }

    /// <summary>Retries pods that waited longer than podMaxInUnschedulablePodsDuration for an event (upstream flushUnschedulablePodsLeftover).</summary>
    private void FlushUnschedulableLeftover()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var expired = _unschedulable.Values.Where(p => now - p.Timestamp > _options.PodMaxInUnschedulablePodsDuration).ToList();
            foreach (var info in expired)
            {
                _unschedulable.Remove(info.Key);
                Requeue(info, QueueingStrategy.AfterBackoff, QueueEvents.UnschedulableTimeout);
            }

            Published();
        }
    }

    private void UpdateLocked(V1Pod? oldPod, V1Pod newPod)
    {
        var uid = newPod.Metadata?.Uid ?? string.Empty;
        if (_inFlight.Contains(uid))
        {
            // Being scheduled: the update counts as an event of its attempt, so a failure that it may have fixed
            // is retried instead of parked.
            if (PodChanges.IsPodUpdated(oldPod, newPod))
            {
                foreach (var clusterEvent in oldPod is null ? [new ClusterEvent(EventResource.Pod, ActionType.UpdatePodGeneric)] : PodChanges.SchedulingPropertiesChange(newPod, oldPod))
                {
                    _inFlight.AddEvent(clusterEvent, oldPod, newPod);
                }
            }

            return;
        }

        var key = ObjectKeys.Of(newPod);
        if (_active.TryGet(key, out var info))
        {
            Replace(info, oldPod, newPod);
            _active.AddOrUpdate(info);
            return;
        }

        if (_backoff.TryGet(key, out info))
        {
            Replace(info, oldPod, newPod);
            return;
        }

        if (_unschedulable.TryGetValue(key, out info))
        {
            Replace(info, oldPod, newPod);
            if (PodChanges.IsPodUpdated(oldPod, newPod))
            {
                _unschedulable.Remove(key);
                Requeue(info, QueueingStrategy.AfterBackoff, QueueEvents.PodUpdate);
            }

            return;
        }

        if (_gated.TryGetValue(key, out info))
        {
            Replace(info, oldPod, newPod);
            if (!info.Gated)
            {
                MoveToActive(info, QueueEvents.PodUpdate);
            }

            return;
        }

        MoveToActive(NewQueuedPodInfo(newPod), QueueEvents.PodUpdate);
    }

    private void Replace(QueuedPodInfo info, V1Pod? oldPod, V1Pod newPod)
    {
        info.PodInfo = new PodInfo(newPod);
        _nominator.Update(oldPod, info.PodInfo);
    }

    private QueuedPodInfo NewQueuedPodInfo(V1Pod pod)
    {
        var info = new QueuedPodInfo(new PodInfo(pod), _time.GetUtcNow());
        info.Sequence = ++_sequence;
        return info;
    }

    private void Stamp(QueuedPodInfo info)
    {
        info.Timestamp = _time.GetUtcNow();
        info.Sequence = ++_sequence;
    }

    /// <summary>Where a failed pod goes: back to wait for an event, unless one that may help it came during its attempt.</summary>
    private QueueingStrategy StrategyAfterAttempt(QueuedPodInfo info, long podSchedulingCycle)
    {
        // No plugin rejected it: an error (e.g. the API server failed the binding) — retry after back-off, as
        // nothing else would bring it back before the next flush.
        if (info.UnschedulablePlugins.Count == 0 && info.PendingPlugins.Count == 0)
        {
            return QueueingStrategy.AfterBackoff;
        }

        var events = _inFlight.EventsSince(info.Uid);
        if (events is null)
        {
            // Not popped through this queue (or already done): fall back to upstream's moveRequestCycle — any move
            // request since its cycle began sends it to back-off.
            return _moveRequestCycle >= podSchedulingCycle ? QueueingStrategy.AfterBackoff : QueueingStrategy.Skip;
        }

        return _policy.ForEvents(info, events);
    }

    /// <summary>Retries the candidates the event may help, then remembers the event for the pods in flight (upstream movePodsToActiveOrBackoffQueue).</summary>
    private void MovePods(IReadOnlyList<QueuedPodInfo> candidates, ClusterEvent clusterEvent, object? oldObject, object? newObject)
    {
        var label = clusterEvent.ToString();
        foreach (var info in candidates)
        {
            var strategy = _policy.ForEvent(info, clusterEvent, newObject);
            if (strategy == QueueingStrategy.Skip)
            {
                continue;
            }

            _unschedulable.Remove(info.Key);
            Requeue(info, strategy, label);
        }

        _moveRequestCycle = _schedulingCycle;
        _inFlight.AddEvent(clusterEvent, oldObject, newObject);
    }

    /// <summary>Unschedulable pods this bound pod may help: its affinity terms select it, or topology spread in its namespace rejected them.</summary>
    private List<QueuedPodInfo> WithCrossTopologyTerm(V1Pod pod)
    {
        var ns = pod.Metadata?.NamespaceProperty ?? string.Empty;
        var namespaceLabels = _options.NamespaceLabels?.Invoke(ns);
        return
        [
            .. _unschedulable.Values.Where(info =>
                (info.UnschedulablePlugins.Contains(PodTopologySpread) && info.Pod.Metadata?.NamespaceProperty == ns)
                || info.PodInfo.RequiredAffinityTerms.Any(t => t.Matches(pod, namespaceLabels))),
        ];
    }

    private void Requeue(QueuedPodInfo info, QueueingStrategy strategy, string @event)
    {
        if (strategy == QueueingStrategy.Skip)
        {
            _unschedulable[info.Key] = info;
            _metrics.Incoming(PendingQueue.Unschedulable, @event);
        }
        else if (strategy == QueueingStrategy.AfterBackoff && _backoff.IsBackingOff(info))
        {
            _backoff.Add(info);
            _metrics.Incoming(PendingQueue.Backoff, @event);
        }
        else
        {
            MoveToActive(info, @event);
        }
    }

    /// <summary>Makes the pod poppable, unless a scheduling gate holds it (upstream moveToActiveQ with PreEnqueue).</summary>
    private void MoveToActive(QueuedPodInfo info, string @event)
    {
        if (info.Gated)
        {
            _gated[info.Key] = info;
            _metrics.Incoming(PendingQueue.Gated, @event);
            return;
        }

        info.InitialAttemptTimestamp ??= _time.GetUtcNow();
        _unschedulable.Remove(info.Key);
        _backoff.Remove(info.Key);
        _gated.Remove(info.Key);
        _active.AddOrUpdate(info);
        _metrics.Incoming(PendingQueue.Active, @event);
        if (@event is QueueEvents.PodAdd or QueueEvents.PodUpdate)
        {
            _nominator.Add(info.PodInfo, null);
        }

        _popped?.TrySetResult();
        _popped = null;
    }

    /// <summary>Updates the pending-pods gauges; called at the end of every change.</summary>
    private void Published()
    {
        _metrics.SetPending(PendingQueue.Active, _active.Count);
        _metrics.SetPending(PendingQueue.Backoff, _backoff.Count);
        _metrics.SetPending(PendingQueue.Unschedulable, _unschedulable.Count);
        _metrics.SetPending(PendingQueue.Gated, _gated.Count);
    }
}
