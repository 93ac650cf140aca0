using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Client.Informers;

/// <summary>
/// client-go's reflector: lists, then watches from the list's resourceVersion, keeping the last resourceVersion seen
/// (bookmarks included). A watch that ends or breaks resumes from there, so nothing is lost or seen twice; when the
/// server no longer has that version (410 Expired, or an ERROR event) it lists again and the sink works out what
/// changed meanwhile. Failures back off from 800 ms to 30 s, as client-go does.
/// </summary>
internal sealed partial class Reflector<T>(IListWatch<T> source, IReflectorSink<T> sink, TimeProvider time, ILogger log, string description)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private TimeSpan _backoff = InitialBackoff;

    private string _lastResourceVersion = string.Empty;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var list = await source.ListAsync(cancellationToken);
                sink.Replace(list.Items);
                _lastResourceVersion = list.ResourceVersion;
                _backoff = InitialBackoff;
                LogListed(log, description, list.Items.Count, list.ResourceVersion);
                await WatchAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListFailed(log, e, description);
                await BackOffAsync(cancellationToken);
            }
        }
    }

    /// <summary>Watches until a relist is needed.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = time.GetUtcNow();
            var events = 0;
            try
            {
                await foreach (var change in source.WatchAsync(_lastResourceVersion, cancellationToken))
                {
                    switch (change.Type)
                    {
                        case WatchEventType.Error:
                            LogWatchError(log, description, change.Status?.Code, change.Status?.Message);
                            return;
                        case WatchEventType.Bookmark:
                            _lastResourceVersion = change.Object?.Metadata?.ResourceVersion ?? _lastResourceVersion;
                            break;
                        default:
                            sink.Apply(change);
                            _lastResourceVersion = change.Object?.Metadata?.ResourceVersion ?? _lastResourceVersion;
                            events++;
                            break;
                    }
                }

                _backoff = InitialBackoff;
                if (events == 0 && time.GetUtcNow() - started < TimeSpan.FromSeconds(1))
                {
                    // A watch the server closes at once would otherwise spin.
                    await BackOffAsync(cancellationToken);
                }
            }
            catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Gone)
            {
                LogExpired(log, description, _lastResourceVersion);
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                LogWatchBroken(log, e, description, _lastResourceVersion, events);
                if (events > 0)
                {
                    // A stream that carried events resumes at once; only failing to watch backs off.
                    _backoff = InitialBackoff;
                }
                else
                {
                    await BackOffAsync(cancellationToken);
                }
            }
        }
    }

    private async Task BackOffAsync(CancellationToken cancellationToken)
    {
        var delay = _backoff * (0.5 + Random.Shared.NextDouble());
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger log, string resource, int count, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "list of {Resource} failed")]
    private static partial void LogListFailed(ILogger log, Exception exception, string resource);

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {Resource} ended with an error ({Code}: {Message}); listing again")]
    private static partial void LogWatchError(ILogger log, string resource, int? code, string? message);

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {Resource} from resourceVersion {ResourceVersion} expired; listing again")]
    private static partial void LogExpired(ILogger log, string resource, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "watch of {Resource} broke at resourceVersion {ResourceVersion} after {Events} events; resuming")]
    private static partial void LogWatchBroken(ILogger log, Exception exception, string resource, string resourceVersion, int events);
}
