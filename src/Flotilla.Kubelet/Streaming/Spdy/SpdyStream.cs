using System.Threading.Channels;

namespace Flotilla.Kubelet.Streaming.Spdy;

/// <summary>
/// One SPDY stream: the headers it was opened with, the bytes the peer sends until its FIN (a read returns 0), and
/// the bytes this side sends until <see cref="CloseWriteAsync"/> (a FIN of its own).
/// </summary>
public sealed class SpdyStream
{
    private readonly SpdyConnection _connection;
    private readonly Channel<ReadOnlyMemory<byte>> _inbound = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _replied = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReadOnlyMemory<byte> _pending;
    private int _writeClosed;
    private int _readClosed;

    internal SpdyStream(SpdyConnection connection, uint id, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _connection = connection;
        Id = id;
        Headers = headers;
    }

    public uint Id { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Done when the peer answered this side's SYN_STREAM (or the stream or connection ended first).</summary>
    internal Task Replied => _replied.Task;

    /// <summary>Whether the peer reset the stream (RST_STREAM) rather than ending it.</summary>
    public bool Reset { get; private set; }

    public string? Header(string name) => SpdyHeaderBlock.Get(Headers, name);

    /// <summary>Reads what the peer sent; 0 once it sent FIN (or reset the stream, or the connection ended).</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (_pending.IsEmpty)
        {
            if (!await _inbound.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }

            _inbound.Reader.TryRead(out _pending);
        }

        var n = Math.Min(buffer.Length, _pending.Length);
        _pending[..n].CopyTo(buffer);
        _pending = _pending[n..];
        return n;
    }

    /// <summary>Reads everything the peer sends until its FIN.</summary>
    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        using var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await ReadAsync(buffer, cancellationToken)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Volatile.Read(ref _writeClosed) != 0 ? Task.CompletedTask : _connection.SendDataAsync(Id, data, fin: false, cancellationToken);

    /// <summary>Half-closes: the peer reads the end (a stdin that ends, a port-forward client that shut down its side).</summary>
    public async Task CloseWriteAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _writeClosed, 1) == 0)
        {
            await _connection.SendDataAsync(Id, ReadOnlyMemory<byte>.Empty, fin: true, cancellationToken);
            FinishIfDone();
        }
    }

    /// <summary>Ends the stream both ways at once (RST_STREAM CANCEL).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _writeClosed, 1) == 0)
        {
            await _connection.SendResetAsync(Id, cancellationToken);
        }

        EndInbound(reset: false);
    }

    internal void Received(ReadOnlyMemory<byte> data, bool fin)
    {
        if (!data.IsEmpty)
        {
            _inbound.Writer.TryWrite(data);
        }

        if (fin)
        {
            _inbound.Writer.TryComplete();
            Volatile.Write(ref _readClosed, 1);
            FinishIfDone();
        }
    }

    internal void MarkReplied() => _replied.TrySetResult();

    internal void EndInbound(bool reset)
    {
        Reset |= reset;
        _inbound.Writer.TryComplete();
        _replied.TrySetResult();
    }

    internal void EndOutbound() => Interlocked.Exchange(ref _writeClosed, 1);

    private void FinishIfDone()
    {
        if (Volatile.Read(ref _readClosed) != 0 && Volatile.Read(ref _writeClosed) != 0)
        {
            _connection.Finished(this);
        }
    }
}
