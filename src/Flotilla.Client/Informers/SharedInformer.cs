using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Client.Informers;

/// <summary>
/// One list + watch of a resource shared by every handler in the process (client-go's sharedIndexInformer): a
/// reflector fills an indexed cache, and each change is queued to every handler. A handler added late is first given
/// every cached object. A relist that finds an object unchanged tells no one.
/// </summary>
public sealed class SharedInformer<T> : IReflectorSink<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan MinimumResync = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<HandlerListener<T>> _listeners = [];
    private readonly List<Task> _running = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Reflector<T> _reflector;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private CancellationToken? _runToken;

    public SharedInformer(IListWatch<T> source, TimeProvider time, ILogger log, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _time = time;
        _log = log;
        _reflector = new Reflector<T>(source, this, time, log, description ?? typeof(T).Name);
        Lister = new Lister<T>(Indexer);
    }

    public Indexer<T> Indexer { get; } = new();

    public Lister<T> Lister { get; }

    /// <summary>True once the first list is in the cache.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>
    /// Adds a handler. With <paramref name="resync"/>, the handler is also given every cached object as an update
    /// (old and new the same) that often, as client-go's resync does.
    /// </summary>
    public HandlerRegistration AddEventHandler(ResourceEventHandler<T> handler, TimeSpan? resync = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var period = resync is { } r && r > TimeSpan.Zero ? (r < MinimumResync ? MinimumResync : r) : TimeSpan.Zero;
        var listener = new HandlerListener<T>(handler, period, _log) { NextResync = _time.GetUtcNow() + period };
        lock (_gate)
        {
            _listeners.Add(listener);
            if (HasSynced)
            {
                foreach (var item in Indexer.List())
                {
                    listener.Enqueue(new Notification<T>(NotificationKind.Add, null, item, Initial: true));
                }

                listener.Enqueue(new Notification<T>(NotificationKind.Synced, null, null));
            }

            if (_runToken is { } token)
            {
                _running.Add(listener.RunAsync(token));
            }
        }

        return new HandlerRegistration(listener.Synced);
    }

    /// <summary>Lists, watches and dispatches until <paramref name="cancellationToken"/> ends; runs once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_runToken is not null)
            {
                throw new InvalidOperationException("the informer is already running");
            }

            _runToken = cancellationToken;
            _running.AddRange(_listeners.Select(l => l.RunAsync(cancellationToken)));
        }

        try
        {
            await Task.WhenAll(_reflector.RunAsync(cancellationToken), ResyncAsync(cancellationToken));
        }
        finally
        {
            Task[] running;
            lock (_gate)
            {
                _listeners.ForEach(l => l.Complete());
                running = [.. _running];
            }

            await Task.WhenAll(running);
        }
    }

    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    void IReflectorSink<T>.Replace(IReadOnlyList<T> items)
    {
        lock (_gate)
        {
            var initial = !HasSynced;
            var listed = new HashSet<string>(items.Count, StringComparer.Ordinal);
            foreach (var item in items)
            {
                var key = ObjectKeys.Of(item);
                listed.Add(key);
                var old = Indexer.Upsert(key, item);
                if (old is null)
                {
                    Notify(new Notification<T>(NotificationKind.Add, null, item, initial));
                }
                else if (old.Metadata?.ResourceVersion != item.Metadata?.ResourceVersion)
                {
                    Notify(new Notification<T>(NotificationKind.Update, old, item));
                }
            }

            foreach (var key in Indexer.Keys().Where(k => !listed.Contains(k)))
            {
                Notify(new Notification<T>(NotificationKind.Delete, Indexer.Remove(key), null));
            }

            if (initial)
            {
                Notify(new Notification<T>(NotificationKind.Synced, null, null));
                _synced.TrySetResult();
            }
        }
    }

    void IReflectorSink<T>.Apply(WatchEvent<T> change)
    {
        var item = change.Object!;
        var key = ObjectKeys.Of(item);
        lock (_gate)
        {
            if (change.Type == WatchEventType.Deleted)
            {
                if (Indexer.Remove(key) is not null)
                {
                    Notify(new Notification<T>(NotificationKind.Delete, item, null));
                }

                return;
            }

            var old = Indexer.Upsert(key, item);
            Notify(old is null
                ? new Notification<T>(NotificationKind.Add, null, item)
                : new Notification<T>(NotificationKind.Update, old, item));
        }
    }

    private void Notify(Notification<T> notification)
    {
        foreach (var listener in _listeners)
        {
            listener.Enqueue(notification);
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(MinimumResync, _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_gate)
            {
                var now = _time.GetUtcNow();
                foreach (var listener in _listeners.Where(l => l.Resync > TimeSpan.Zero && l.NextResync <= now && HasSynced))
                {
                    listener.NextResync = now + listener.Resync;
                    foreach (var item in Indexer.List())
                    {
                        listener.Enqueue(new Notification<T>(NotificationKind.Update, item, item));
                    }
                }
            }
        }
    }
}
