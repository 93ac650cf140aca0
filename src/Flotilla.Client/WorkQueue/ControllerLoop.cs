using Microsoft.Extensions.Logging;

namespace Flotilla.Client.WorkQueue;

/// <summary>
/// The worker half of every controller (upstream's processNextWorkItem): workers take keys from the queue and sync
/// them; a failed sync comes back after the queue's rate-limited delay, a successful one resets that delay. The queue
/// never hands one key to two workers at once, so a sync owns its key.
/// </summary>
public sealed partial class ControllerLoop(string controller, WorkQueue<string> queue, Func<string, CancellationToken, Task> sync, ILogger log)
{
    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunAsync(int workers, CancellationToken cancellationToken)
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None)));
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string key;
            try
            {
                var (item, shutdown) = await queue.GetAsync(cancellationToken);
                if (shutdown)
                {
                    return;
                }

                key = item;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await sync(key, cancellationToken);
                queue.Forget(key);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed sync, whatever the cause, is retried; the worker must not die
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogSyncFailed(log, controller, key, queue.NumRequeues(key), e.Message);
                queue.AddRateLimited(key);
            }
            finally
            {
                queue.Done(key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Controller}: sync {Key} failed (retry {Retries}): {Reason}")]
    private static partial void LogSyncFailed(ILogger log, string controller, string key, int retries, string reason);
}
