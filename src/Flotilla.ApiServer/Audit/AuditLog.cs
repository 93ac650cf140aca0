using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// The audit log backend, buffered as kube-apiserver's: requests hand finished lines to a bounded queue and return;
/// one background writer takes them in batches, writes each batch and flushes it once. Woken by a lone line, the
/// writer lets a batch gather for a few milliseconds first, so a server makes one write call per batch rather than one
/// per request (and requests wake the writer at most once per batch). A full queue makes requests wait rather than
/// lose events. Disposing drains the queue and closes the file, so a clean shutdown loses nothing.
/// </summary>
public sealed partial class AuditLog : IAsyncDisposable
{
    /// <summary>Events queued at most (upstream's --audit-log-batch-buffer-size default).</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>How long a batch gathers before it is written: the most a line waits to reach the file.</summary>
    public static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(5);

    private const int MaxBatchBytes = 1024 * 1024;

    // A queue this long is a busy server: the batch is there already, write it without waiting.
    private const int GatherLines = 64;
    private readonly Channel<AuditLine> _queue = Channel.CreateBounded<AuditLine>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly IAuditLogTarget _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _writer;
    private bool _failing;
    private bool _closing;

    public AuditLog(IAuditLogTarget target, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        _target = target;
        _logger = logger;
        _time = time;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>The log at <paramref name="path"/>: a file rotated at <paramref name="maxBytes"/>, or standard output for <c>-</c>.</summary>
    public static AuditLog Open(string path, long maxBytes, int maxBackups, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new AuditLog(path == "-" ? new StandardOutputTarget() : new RotatingFile(path, maxBytes, maxBackups, time), logger, time);
    }

    /// <summary>Queues one line, which the log then owns; waits only while the queue is full.</summary>
    public ValueTask PostAsync(AuditLine line)
    {
        AuditMetrics.Events.Inc();
        return _queue.Writer.TryWrite(line) ? ValueTask.CompletedTask : WaitAsync(line);
    }

    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _closing, true);
        _queue.Writer.TryComplete();
        await _writer;
        _target.Dispose();
    }

    private async ValueTask WaitAsync(AuditLine line)
    {
        try
        {
            await _queue.Writer.WriteAsync(line);
        }
        catch (ChannelClosedException)
        {
            AuditMetrics.Errors.Inc();  // the server is shutting down
            line.Release();
        }
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            if (!Volatile.Read(ref _closing) && _queue.Reader.Count < GatherLines)
            {
                await Task.Delay(BatchWait, _time);
            }

            var batch = 0;
            while (batch < MaxBatchBytes && reader.TryRead(out var line))
            {
                batch += line.Length;
                try
                {
                    _target.Write(line.Span);
                    _failing = false;
                }
                catch (IOException e)
                {
                    Failed(e);
                }
                finally
                {
                    line.Release();
                }
            }

            try
            {
                _target.Flush();
            }
            catch (IOException e)
            {
                Failed(e);
            }
        }
    }

    private void Failed(IOException e)
    {
        AuditMetrics.Errors.Inc();
        if (!_failing)
        {
            LogWriteFailed(_logger, e.Message);
        }

        _failing = true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "audit log: cannot write events, dropping them until writing works again: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string error);
}
