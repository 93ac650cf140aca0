namespace Flotilla.Client.WorkQueue;

/// <summary>
/// client-go's rate-limiting work queue. An item added while queued is queued once (dirty set); an item being
/// processed is never handed to a second worker — added meanwhile, it is queued again when the first calls
/// <see cref="Done"/>. <see cref="AddAfter"/> delays an add (a later delay for an item already waiting is ignored);
/// <see cref="AddRateLimited"/> delays it by the rate limiter, <see cref="Forget"/> resets that.
/// </summary>
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, long> _addedAt = [];
    private readonly Dictionary<T, long> _startedAt = [];
    private readonly Dictionary<T, (DateTimeOffset ReadyAt, ITimer Timer, long Sequence)> _waiting = [];
    private readonly List<TaskCompletionSource<bool>> _getters = [];
    private readonly TimeProvider _time;
    private readonly IRateLimiter<T> _limiter;
    private readonly string _name;
    private bool _shuttingDown;
    private long _sequence;

    public WorkQueue(string name, TimeProvider time, IRateLimiter<T>? limiter = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _name = name;
        _time = time;
        _limiter = limiter ?? RateLimiters.ControllerDefault<T>(time);
    }

    /// <summary>Items waiting to be handed out (not those being processed or delayed).</summary>
    public int Count
    {
        get { lock (_gate) { return _queue.Count; } }
    }

    public bool ShuttingDown
    {
        get { lock (_gate) { return _shuttingDown; } }
    }

    public void Add(T item)
    {
        List<TaskCompletionSource<bool>>? wake = null;
        lock (_gate)
        {
            if (_shuttingDown || !_dirty.Add(item))
            {
                return;
            }

            WorkQueueMetrics.Adds.WithLabels(_name).Inc();
            _addedAt.TryAdd(item, _time.GetTimestamp());
            if (_processing.Contains(item))
            {
                return;  // queued again by Done
            }

            _queue.Enqueue(item);
            WorkQueueMetrics.Depth.WithLabels(_name).Set(_queue.Count);
            wake = TakeGetters();
        }

        Wake(wake);
    }

    /// <summary>Adds <paramref name="item"/> once <paramref name="delay"/> has passed.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }

            var readyAt = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var waiting))
            {
                if (waiting.ReadyAt <= readyAt)
                {
                    return;
                }

                waiting.Timer.Dispose();
            }

            // A replaced timer may still fire: Ready only acts for the one it was made for.
            var sequence = ++_sequence;
            _waiting[item] = (readyAt, _time.CreateTimer(_ => Ready(item, sequence), null, delay, Timeout.InfiniteTimeSpan), sequence);
        }
    }

    /// <summary>Adds the item again after the rate limiter's delay (a retry).</summary>
    public void AddRateLimited(T item)
    {
        WorkQueueMetrics.Retries.WithLabels(_name).Inc();
        AddAfter(item, _limiter.When(item));
    }

    public void Forget(T item) => _limiter.Forget(item);

    public int NumRequeues(T item) => _limiter.NumRequeues(item);

    /// <summary>The next item, marked as being processed; or shutdown once the queue is shut down and empty.</summary>
    public async Task<(T Item, bool Shutdown)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TaskCompletionSource<bool> wait;
            lock (_gate)
            {
                if (_queue.TryDequeue(out var item))
                {
                    WorkQueueMetrics.Depth.WithLabels(_name).Set(_queue.Count);
                    _processing.Add(item);
                    _dirty.Remove(item);
                    var now = _time.GetTimestamp();
                    if (_addedAt.Remove(item, out var added))
                    {
                        WorkQueueMetrics.QueueDuration.WithLabels(_name).Observe(_time.GetElapsedTime(added, now).TotalSeconds);
                    }

                    _startedAt[item] = now;
                    return (item, false);
                }

                if (_shuttingDown)
                {
                    return (default!, true);
                }

                wait = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _getters.Add(wait);
            }

            await wait.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The item is processed: it may be handed out again (at once, if it was added meanwhile).</summary>
    public void Done(T item)
    {
        List<TaskCompletionSource<bool>>? wake = null;
        lock (_gate)
        {
            _processing.Remove(item);
            if (_startedAt.Remove(item, out var started))
            {
                WorkQueueMetrics.WorkDuration.WithLabels(_name).Observe(_time.GetElapsedTime(started).TotalSeconds);
            }

            if (_dirty.Contains(item))
            {
                _queue.Enqueue(item);
                WorkQueueMetrics.Depth.WithLabels(_name).Set(_queue.Count);
                wake = TakeGetters();
            }
        }

        Wake(wake);
    }

    /// <summary>No more adds; workers get what is queued, then shutdown.</summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<bool>> getters;
        lock (_gate)
        {
            _shuttingDown = true;
            foreach (var waiting in _waiting.Values)
            {
                waiting.Timer.Dispose();
            }

            _waiting.Clear();
            getters = TakeGetters();
        }

        Wake(getters);
    }

    public void Dispose() => ShutDown();

    private void Ready(T item, long sequence)
    {
        lock (_gate)
        {
            if (!_waiting.TryGetValue(item, out var waiting) || waiting.Sequence != sequence)
            {
                return;
            }

            _waiting.Remove(item);
            waiting.Timer.Dispose();
        }

        Add(item);
    }

    // Every waiting worker is woken and looks again: one whose wait was cancelled cannot swallow the wake-up.
    private List<TaskCompletionSource<bool>> TakeGetters()
    {
        var getters = new List<TaskCompletionSource<bool>>(_getters);
        _getters.Clear();
        return getters;
    }

    private static void Wake(List<TaskCompletionSource<bool>>? getters) => getters?.ForEach(g => g.TrySetResult(true));
}
