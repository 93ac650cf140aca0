using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;

namespace Flotilla.ApiServer.Watch;

/// <summary>
/// One resource's objects and recent changes in memory (kube-apiserver's watch cache): lists and watches are served
/// from here instead of the store. Fed in revision order by <see cref="CacheSet"/>; every object is decoded and
/// encoded once, whatever the number of readers.
/// </summary>
public sealed class WatchCache(ResourceInfo resource, int capacity)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, CachedObject> _objects = new(StringComparer.Ordinal);
    private readonly Queue<CachedChange> _changes = new();
    private readonly List<Watcher> _watchers = [];
    private long _oldest;
    private long _applied;

    public ResourceInfo Resource => resource;

    /// <summary>Replaces the contents with a list read at <paramref name="revision"/> (start and relist).</summary>
    public void Reset(IEnumerable<CachedObject> objects, long revision)
    {
        lock (_gate)
        {
            _objects.Clear();
            foreach (var o in objects)
            {
                _objects[o.Key] = o;
            }

            _changes.Clear();
            _oldest = revision;
            _applied = revision;
            foreach (var w in _watchers)
            {
                w.Channel.Writer.TryComplete(StatusException.Expired($"too old resource version: the watch cache of {resource.Plural} was rebuilt at {revision}"));
            }

            _watchers.Clear();
        }
    }

    public void Apply(CachedChange change)
    {
        lock (_gate)
        {
            if (change.Type == Registry.ChangeType.Deleted)
            {
                _objects.Remove(change.Object.Key);
            }
            else
            {
                _objects[change.Object.Key] = change.Object;
            }

            _changes.Enqueue(change);
            _applied = change.Revision;
            while (_changes.Count > capacity)
            {
                _oldest = _changes.Dequeue().Revision;
            }

            foreach (var w in _watchers)
            {
                if (change.Object.Key.StartsWith(w.Prefix, StringComparison.Ordinal))
                {
                    w.Channel.Writer.TryWrite(change);
                }
            }
        }
    }

    /// <summary>The last revision applied: a reader that derived something from the contents can tell it is stale.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _applied;
            }
        }
    }

    public CachedObject? Get(string key)
    {
        lock (_gate)
        {
            return _objects.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// The objects under a namespace (or all) in key order, and the revision they are consistent at: the last change
    /// this cache applied, so a watch from it continues exactly after the list.
    /// </summary>
    public (IReadOnlyList<CachedObject> Objects, long Revision) List(string? ns)
    {
        var prefix = resource.NamespacePrefix(ns);
        lock (_gate)
        {
            return ([.. _objects.Values.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))], _applied);
        }
    }

    /// <summary>Changes after <paramref name="fromRevision"/>; 410 Expired when they are older than the cache keeps.</summary>
    public async IAsyncEnumerable<CachedChange> WatchAsync(string? ns, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watcher = new Watcher(resource.NamespacePrefix(ns));
        List<CachedChange> backlog;
        lock (_gate)
        {
            if (fromRevision < _oldest)
            {
                throw StatusException.Expired($"too old resource version: {fromRevision} ({_oldest})");
            }

            backlog = [.. _changes.Where(c => c.Revision > fromRevision && c.Object.Key.StartsWith(watcher.Prefix, StringComparison.Ordinal))];
            _watchers.Add(watcher);
        }

        try
        {
            foreach (var change in backlog)
            {
                yield return change;
            }

            var reader = watcher.Channel.Reader;
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                while (reader.TryRead(out var change))
                {
                    // A watch may start at a revision the cache has not reached yet: skip up to it.
                    if (change.Revision > fromRevision)
                    {
                        yield return change;
                    }
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

    private sealed class Watcher(string prefix)
    {
        public string Prefix { get; } = prefix;

        public Channel<CachedChange> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<CachedChange>(new UnboundedChannelOptions { SingleReader = true });
    }
}
