using System.Net;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Client.Events;

/// <summary>
/// client-go's event broadcaster and recorder in one, for core/v1 Events. Recording builds the Event and queues it
/// without waiting (a full queue drops it, with a log line). One loop, run from <see cref="Start"/> until
/// <see cref="DisposeAsync"/>, passes each through the <see cref="EventCorrelator"/> and creates or patches it through
/// the API. Transport failures, throttling and server errors are retried; anything else the server refuses is not.
/// </summary>
public sealed partial class EventRecorder : IEventRecorder, IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<EventRecorder> _logger;
    private readonly Random _random;
    private readonly EventNames _names = new();
    private readonly EventCorrelator _correlator;
    private readonly Channel<Corev1Event> _queue;
    private readonly CancellationTokenSource _stopping = new();  // cancelled on dispose: no more retries
    private readonly CancellationTokenSource _abort;  // cancelled a shutdown timeout later: no more writes at all
    private readonly Lock _gate = new();
    private Task? _loop;
    private bool _disposed;
    private int _abandoned;

    public EventRecorder(IKubernetes client, EventRecorderOptions options, TimeProvider time, ILogger<EventRecorder> logger, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrEmpty(options.Component, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.QueueCapacity, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxTries, nameof(options));
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared;
        _correlator = new EventCorrelator(time, options.Correlator, _names);
        _queue = Channel.CreateBounded<Corev1Event>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public void Event(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message) =>
        Event(ObjectReferences.For(involved), type, reason, message);

    public void Event(V1ObjectReference involved, string type, string reason, string message)
    {
        ArgumentNullException.ThrowIfNull(involved);
        if (!EventTypes.IsValid(type))
        {
            throw new ArgumentException($"an event's type is {EventTypes.Normal} or {EventTypes.Warning}, not '{type}'", nameof(type));
        }

        var reference = involved with { };  // the caller's reference may change after this returns
        var now = _time.GetUtcNow();
        var at = Flotilla.Api.Timestamps.Of(now);
        var e = new Corev1Event
        {
            ApiVersion = Corev1Event.KubeApiVersion,
            Kind = Corev1Event.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = _names.Next(reference.Name, now),
                NamespaceProperty = string.IsNullOrEmpty(reference.NamespaceProperty) ? "default" : reference.NamespaceProperty,
            },
            InvolvedObject = reference,
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = at,
            LastTimestamp = at,
            Source = new V1EventSource { Component = _options.Component, Host = _options.Host },
            ReportingComponent = _options.Component,
            ReportingInstance = _options.Host,
        };
        if (_queue.Writer.TryWrite(e))
        {
            return;
        }

        bool disposed;
        lock (_gate)
        {
            disposed = _disposed;
        }

        if (disposed)
        {
            LogStopped(_logger, reason, reference.Kind, reference.NamespaceProperty, reference.Name);
        }
        else
        {
            LogQueueFull(_logger, reason, reference.Kind, reference.NamespaceProperty, reference.Name, _options.QueueCapacity);
        }
    }

    /// <summary>Starts writing events, in the background until disposed; events recorded before are written then.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loop is not null)
            {
                throw new InvalidOperationException("the event recorder is already started");
            }

            _loop = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// Stops recording. Events still queued get one attempt each (as upstream's broadcaster after shutdown) within
    /// the shutdown timeout; whatever is left then is dropped.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loop = _loop;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (loop is null)
        {
            _abandoned = _queue.Reader.Count;
            LogAbandonedIfAny();
        }
        else
        {
            _abort.CancelAfter(_options.ShutdownTimeout);
            await loop;
        }

        _stopping.Dispose();
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var e in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            await RecordAsync(e);
        }

        LogAbandonedIfAny();
    }

    private async Task RecordAsync(Corev1Event e)
    {
        if (_abort.IsCancellationRequested)
        {
            _abandoned++;
            return;
        }

        var correlation = _correlator.Correlate(e);
        if (correlation.Skip)
        {
            LogSpam(_logger, e.Reason, e.InvolvedObject.Kind, e.InvolvedObject.NamespaceProperty, e.InvolvedObject.Name);
            return;
        }

        var recorded = correlation.Event;
        var about = recorded.InvolvedObject;
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            try
            {
                _correlator.UpdateState(await WriteAsync(recorded, correlation.Patch, _abort.Token));
                return;
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                _abandoned++;
                return;
            }
            catch (HttpOperationException ex) when (ex.Response is { } response && !IsRetryable(response.StatusCode))
            {
                // Refused for what the event is (invalid, or its namespace is going away): trying again will not help.
                if (response.StatusCode == HttpStatusCode.Conflict || response.Content?.Contains("NamespaceTerminating", StringComparison.Ordinal) == true)
                {
                    LogRefusedExpectedly(_logger, recorded.Reason, about.Kind, about.NamespaceProperty, about.Name, (int)response.StatusCode);
                }
                else
                {
                    LogRefused(_logger, recorded.Reason, about.Kind, about.NamespaceProperty, about.Name, (int)response.StatusCode, response.Content);
                }

                return;
            }
            catch (Exception ex)
            {
                failure = ex;  // the API server unreachable, slow, throttling or failing: worth another try
            }

            if (attempt >= _options.MaxTries || _stopping.IsCancellationRequested)
            {
                LogDropped(_logger, recorded.Reason, about.Kind, about.NamespaceProperty, about.Name, attempt, failure.Message);
                return;
            }

            // As upstream, the first wait is a random part of the delay so that clients do not all retry in step.
            var delay = attempt == 1 ? _options.RetryDelay * _random.NextDouble() : _options.RetryDelay;
            LogRetrying(_logger, recorded.Reason, about.Kind, about.NamespaceProperty, about.Name, delay, failure.Message);
            try
            {
                await Task.Delay(delay, _time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                LogDropped(_logger, recorded.Reason, about.Kind, about.NamespaceProperty, about.Name, attempt, failure.Message);
                return;
            }
        }
    }

    private async Task<Corev1Event> WriteAsync(Corev1Event e, V1Patch? patch, CancellationToken cancellationToken)
    {
        var ns = e.Metadata.NamespaceProperty;
        if (patch is not null)
        {
            try
            {
                return await _client.CoreV1.PatchNamespacedEventAsync(patch, e.Metadata.Name, ns, cancellationToken: cancellationToken);
            }
            catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
            {
                // The Event expired (or was deleted) since it was recorded: record it anew, count and all.
            }
        }

        return await _client.CoreV1.CreateNamespacedEventAsync(e with { Metadata = e.Metadata with { ResourceVersion = null } }, ns, cancellationToken: cancellationToken);
    }

    // Throttling and server errors pass: client-go's REST client retries them before its recorder sees them,
    // KubernetesClient does not.
    private static bool IsRetryable(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private void LogAbandonedIfAny()
    {
        if (_abandoned > 0)
        {
            LogAbandoned(_logger, _options.Component, _abandoned);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "event {Reason} about {Kind} {Namespace}/{Name} dropped: {Capacity} events are waiting to be written already")]
    private static partial void LogQueueFull(ILogger logger, string reason, string? kind, string? @namespace, string? name, int capacity);

    [LoggerMessage(Level = LogLevel.Debug, Message = "event {Reason} about {Kind} {Namespace}/{Name} dropped: the event recorder is stopped")]
    private static partial void LogStopped(ILogger logger, string reason, string? kind, string? @namespace, string? name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "event {Reason} about {Kind} {Namespace}/{Name} dropped as spam: its source has recorded too many about the object lately")]
    private static partial void LogSpam(ILogger logger, string? reason, string? kind, string? @namespace, string? name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "event {Reason} about {Kind} {Namespace}/{Name} refused by the API server ({Status}), not retried")]
    private static partial void LogRefusedExpectedly(ILogger logger, string? reason, string? kind, string? @namespace, string? name, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "event {Reason} about {Kind} {Namespace}/{Name} refused by the API server ({Status}), not retried: {Response}")]
    private static partial void LogRefused(ILogger logger, string? reason, string? kind, string? @namespace, string? name, int status, string? response);

    [LoggerMessage(Level = LogLevel.Debug, Message = "event {Reason} about {Kind} {Namespace}/{Name} not written, trying again in {Delay}: {Error}")]
    private static partial void LogRetrying(ILogger logger, string? reason, string? kind, string? @namespace, string? name, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "event {Reason} about {Kind} {Namespace}/{Name} dropped after {Tries} tries: {Error}")]
    private static partial void LogDropped(ILogger logger, string? reason, string? kind, string? @namespace, string? name, int tries, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "event recorder {Component} stopped with {Count} events not written")]
    private static partial void LogAbandoned(ILogger logger, string component, int count);
}
