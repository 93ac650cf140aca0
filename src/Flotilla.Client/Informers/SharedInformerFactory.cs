using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Client.Informers;

/// <summary>
/// The process's informers on one client (client-go's SharedInformerFactory): asking twice for one resource (and
/// selectors) gives the same informer, so every handler shares one watch. <see cref="Start"/> runs those not yet
/// running; they stop when the factory is disposed.
/// </summary>
public sealed class SharedInformerFactory(IKubernetes client, TimeProvider time, ILoggerFactory? logs = null) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(Type, InformerOptions), IRunnable> _informers = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ILoggerFactory _logs = logs ?? NullLoggerFactory.Instance;

    public SharedInformer<T> Informer<T>(InformerOptions? options = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        options ??= InformerOptions.All;
        lock (_gate)
        {
            if (_informers.TryGetValue((typeof(T), options), out var existing))
            {
                return ((Runnable<T>)existing).Informer;
            }

            var description = ResourcePath.Collection<T>(options);
            var informer = new SharedInformer<T>(new ResourceListWatch<T>(client, options), time, _logs.CreateLogger($"Flotilla.Client.Informers[{typeof(T).Name}]"), description);
            _informers[(typeof(T), options)] = new Runnable<T>(informer);
            return informer;
        }
    }

    /// <summary>Starts every informer asked for so far that is not running yet.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            foreach (var informer in _informers.Values.Where(i => !i.Started))
            {
                _running.Add(informer.Start(_stop.Token));
            }
        }
    }

    /// <summary>Waits until every started informer has its first list.</summary>
    public Task WaitForCacheSyncAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.WhenAll(_informers.Values.Where(i => i.Started).Select(i => i.WaitForCacheSyncAsync(cancellationToken)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _stop.Cancel();
            running = [.. _running];
        }

        await Task.WhenAll(running);
        _stop.Dispose();
    }

    private interface IRunnable
    {
        bool Started { get; }

        Task Start(CancellationToken cancellationToken);

        Task WaitForCacheSyncAsync(CancellationToken cancellationToken);
    }

    private sealed class Runnable<T>(SharedInformer<T> informer) : IRunnable
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        public SharedInformer<T> Informer => informer;

        public bool Started { get; private set; }

        public Task Start(CancellationToken cancellationToken)
        {
            Started = true;
            return Task.Run(() => informer.RunAsync(cancellationToken), CancellationToken.None);
        }

        public Task WaitForCacheSyncAsync(CancellationToken cancellationToken) => informer.WaitForCacheSyncAsync(cancellationToken);
    }
}
