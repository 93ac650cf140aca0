using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Flotilla.Client.Informers;

/// <summary>
/// One handler's queue and dispatcher (client-go's processorListener): an unbounded queue, so the informer never
/// waits for a handler, drained in order by one task.
/// </summary>
internal sealed partial class HandlerListener<T>(ResourceEventHandler<T> handler, TimeSpan resync, ILogger log)
    where T : class
{
    private readonly Channel<Notification<T>> _queue = Channel.CreateUnbounded<Notification<T>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TimeSpan Resync => resync;

    public DateTimeOffset NextResync { get; set; }

    public Task Synced => _synced.Task;

    public void Enqueue(Notification<T> notification) => _queue.Writer.TryWrite(notification);

    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var n in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                Dispatch(n);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The informer stopped.
        }
    }

    private void Dispatch(Notification<T> n)
    {
        if (n.Kind == NotificationKind.Synced)
        {
            _synced.TrySetResult();
            return;
        }

        try
        {
            switch (n.Kind)
            {
                case NotificationKind.Add when Passes(n.New!):
                    handler.OnAdd?.Invoke(n.New!, n.Initial);
                    break;
                case NotificationKind.Update:
                    DispatchUpdate(n.Old!, n.New!);
                    break;
                case NotificationKind.Delete when Passes(n.Old!):
                    handler.OnDelete?.Invoke(n.Old!);
                    break;
            }
        }
        catch (Exception e)
        {
            LogHandlerFailed(log, e, n.Kind);
        }
    }

    private void DispatchUpdate(T old, T @new)
    {
        var (was, @is) = (Passes(old), Passes(@new));
        if (was && @is)
        {
            handler.OnUpdate?.Invoke(old, @new);
        }
        else if (@is)
        {
            handler.OnAdd?.Invoke(@new, false);
        }
        else if (was)
        {
            handler.OnDelete?.Invoke(old);
        }
    }

    private bool Passes(T obj) => handler.Filter?.Invoke(obj) ?? true;

    [LoggerMessage(Level = LogLevel.Error, Message = "event handler failed on {Kind}")]
    private static partial void LogHandlerFailed(ILogger log, Exception exception, NotificationKind kind);
}
