using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Flotilla.Storage.Watch;

/// <summary>
/// The recent changes of a store kept in memory, and the watchers fed from them without polling. A store publishes
/// every committed change here in revision order; a watch replays the changes after its start revision and then
/// follows live ones. Changes older than the memory window are read from the store's durable history.
/// </summary>
internal sealed class EventLog
{
    private readonly Lock _gate = new();
    private readonly Queue<WatchEvent> _recent = new();
    private readonly int _capacity;
    private readonly List<Watcher> _watchers = [];
    private long _lastRevision;
    private long _coveredAfter;
    private long _compactedRevision;

    /// <param name="capacity">How many recent changes to keep in memory.</param>
    /// <param name="currentRevision">The store's revision when the log starts: every change after it passes through.</param>
    public EventLog(int capacity, long currentRevision, long compactedRevision)
    {
        _capacity = capacity;
        _lastRevision = currentRevision;
        _coveredAfter = currentRevision;
        _compactedRevision = compactedRevision;
    }

    public long LastRevision
    {
        get { lock (_gate) { return _lastRevision; } }
    }

    public int WatcherCount
    {
        get { lock (_gate) { return _watchers.Count; } }
    }

    /// <summary>Adds committed changes (in revision order) and hands them to matching watchers.</summary>
    public void Publish(IReadOnlyList<WatchEvent> events)
    {
        lock (_gate)
        {
            foreach (var e in events)
            {
                _recent.Enqueue(e);
                _lastRevision = e.Revision;
                foreach (var w in _watchers)
                {
                    if (KeyRange.Matches(e.Kv.Key, w.Prefix))
                    {
                        w.Channel.Writer.TryWrite(e);
                    }
                }
            }

            while (_recent.Count > _capacity)
            {
                _coveredAfter = _recent.Dequeue().Revision;
            }
        }
    }

    public void MarkCompacted(long revision)
    {
        lock (_gate)
        {
            _compactedRevision = Math.Max(_compactedRevision, revision);
            while (_recent.TryPeek(out var oldest) && oldest.Revision <= revision)
            {
                _coveredAfter = _recent.Dequeue().Revision;
            }
        }
    }

    /// <summary>
    /// Streams changes under <paramref name="prefix"/> after <paramref name="fromRevision"/> (0 = from now).
    /// <paramref name="readHistory"/> returns the durable changes in (from, to] for a start older than memory.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string prefix,
        long fromRevision,
        Func<string, long, long, CancellationToken, IAsyncEnumerable<WatchEvent>>? readHistory,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var watcher = new Watcher(prefix);
        List<WatchEvent>? backlog = null;
        long from;
        long registeredAt;
        lock (_gate)
        {
            from = Revisions.Resolve(fromRevision, _lastRevision, _compactedRevision);
            if (from >= _coveredAfter)
            {
                backlog = [.. _recent.Where(e => e.Revision > from && KeyRange.Matches(e.Kv.Key, prefix))];
            }
            else if (readHistory is null)
            {
                throw StoreException.Compacted(from, _coveredAfter);
            }

            registeredAt = _lastRevision;
            _watchers.Add(watcher);
        }

        try
        {
            if (backlog is not null)
            {
                foreach (var e in backlog)
                {
                    yield return e;
                }
            }
            else
            {
                await foreach (var e in readHistory!(prefix, from, registeredAt, cancellationToken))
                {
                    yield return e;
                }
            }

            var reader = watcher.Channel.Reader;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var e))
                {
                    yield return e;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    /// <summary>Ends every watch (the store is closing): their streams complete.</summary>
    public void CloseAll()
    {
        lock (_gate)
        {
            foreach (var w in _watchers)
            {
                w.Channel.Writer.TryComplete(new StoreException(StoreError.Unavailable, "store closed"));
            }
        }
    }

    private sealed class Watcher(string prefix)
    {
        public string Prefix { get; } = prefix;

        public Channel<WatchEvent> Channel { get; } =
            System.Threading.Channels.Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    }
}
