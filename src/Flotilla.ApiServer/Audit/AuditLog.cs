using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Flotilla.ApiServer.Audit;

/// <summary>
/// The audit log backend, buffered as kube-apiserver's: requests hand finished lines to a bounded queue and return;
/// one background writer takes them in batches, writes each batch and flushes it once. A full queue makes requests
/// wait rather than lose events. Disposing drains the queue and closes the file, so a clean shutdown loses nothing.
/// </summary>
public sealed partial class AuditLog : IAsyncDisposable
{
    /// <summary>Events queued at most (upstream's --audit-log-batch-buffer-size default).</summary>
    public const int QueueCapacity = 10_000;

    private const int MaxBatchBytes = 1024 * 1024;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly IAuditLogTarget _target;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private bool _failing;

    public AuditLog(IAuditLogTarget target, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(logger);
        _target = target;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>The log at <paramref name="path"/>: a file rotated at <paramref name="maxBytes"/>, or standard output for <c>-</c>.</summary>
    public static AuditLog Open(string path, long maxBytes, int maxBackups, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new AuditLog(path == "-" ? new StandardOutputTarget() : new RotatingFile(path, maxBytes, maxBackups, time), logger);
    }

    /// <summary>Queues one line (newline included); waits only while the queue is full.</summary>
    public ValueTask PostAsync(byte[] line)
    {
        ArgumentNullException.ThrowIfNull(line);
        AuditMetrics.Events.Inc();
        return _queue.Writer.TryWrite(line) ? ValueTask.CompletedTask : WaitAsync(line);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        _target.Dispose();
    }

    private async ValueTask WaitAsync(byte[] line)
    {
        try
        {
            await _queue.Writer.WriteAsync(line);
        }
        catch (ChannelClosedException)
        {
            AuditMetrics.Errors.Inc();  // the server is shutting down
        }
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = 0;
            while (batch < MaxBatchBytes && reader.TryRead(out var line))
            {
                batch += line.Length;
                try
                {
                    _target.Write(line);
                    _failing = false;
                }
                catch (IOException e)
                {
                    Failed(e);
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
