using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Flotilla.Kubelet.Streaming.Spdy;

/// <summary>
/// A SPDY/3.1 connection as Kubernetes' streaming uses it (moby/spdystream's behaviour): streams opened by either
/// side, each answered with SYN_REPLY; pings echoed; no flow control (spdystream sends no WINDOW_UPDATE, so none
/// is waited for); GOAWAY or the transport's end ends every stream. Writes go out one frame at a time.
/// </summary>
public sealed class SpdyConnection : IAsyncDisposable
{
    /// <summary>The largest data frame sent: bigger writes are split (spdystream takes up to 16 MiB).</summary>
    private const int MaxDataFrame = 64 * 1024;

    private const uint StatusCancel = 5;
    private const uint StatusProtocolError = 1;

    private readonly Stream _transport;
    private readonly bool _server;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SpdyHeaderWriter _headerWriter = new();
    private readonly SpdyHeaderReader _headerReader = new();
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();
    private readonly Channel<SpdyStream> _accepted = Channel.CreateUnbounded<SpdyStream>();
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _reading;
    private uint _nextId;
    private uint _lastRemoteId;
    private int _disposed;

    private SpdyConnection(Stream transport, bool server)
    {
        _transport = transport;
        _server = server;
        _nextId = server ? 2u : 1u;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>Speaks SPDY over an upgraded connection; <paramref name="server"/> is the side that accepted the upgrade.</summary>
    public static SpdyConnection Start(Stream transport, bool server)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new SpdyConnection(transport, server);
    }

    /// <summary>Streams the peer opened, already answered; completes when the connection ends.</summary>
    public ChannelReader<SpdyStream> Accepted => _accepted.Reader;

    /// <summary>Done when the connection ended (the peer went away, said GOAWAY, or this side was disposed).</summary>
    public Task Completion => _reading;

    /// <summary>Opens a stream and waits for the peer's SYN_REPLY (as client-go does before it writes).</summary>
    public async Task<SpdyStream> OpenStreamAsync(IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        SpdyStream? stream = null;
        await SendAsync(
            () =>
            {
                var id = _nextId;
                _nextId += 2;
                stream = new SpdyStream(this, id, headers);
                _streams[id] = stream;
                return SpdyFrame.SynStream(id, 0, _headerWriter.Compress(headers));
            },
            cancellationToken);

        await stream!.Replied.WaitAsync(cancellationToken);
        return stream.Reset || _closed.IsCancellationRequested
            ? throw new IOException($"spdy: the peer refused stream {stream.Id}")
            : stream;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_closed.IsCancellationRequested)
        {
            try
            {
                await SendAsync(() => SpdyFrame.GoAway(_lastRemoteId, 0), CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
            {
                // The peer is gone already.
            }
        }

        await _closed.CancelAsync();
        await _transport.DisposeAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            // It ended: how no longer matters.
        }

        _headerWriter.Dispose();
        _headerReader.Dispose();
        _closed.Dispose();
    }

    internal async Task SendDataAsync(uint streamId, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellationToken)
    {
        do
        {
            var chunk = data[..Math.Min(data.Length, MaxDataFrame)];
            data = data[chunk.Length..];
            var last = data.IsEmpty;
            await SendAsync(() => SpdyFrame.Data(streamId, fin && last ? SpdyFrame.FlagFin : (byte)0, chunk.Span), cancellationToken);
        }
        while (!data.IsEmpty);
    }

    internal async Task SendResetAsync(uint streamId, CancellationToken cancellationToken)
    {
        _streams.TryRemove(streamId, out _);
        await SendAsync(() => SpdyFrame.RstStream(streamId, StatusCancel), cancellationToken);
    }

    /// <summary>Builds and writes a frame under the write lock: header blocks are compressed in the order they go out.</summary>
    private async Task SendAsync(Func<byte[]> frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await WriteFrameAsync(frame(), cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed.IsCancellationRequested, this);
        await _transport.WriteAsync(frame, cancellationToken);
        await _transport.FlushAsync(cancellationToken);
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await SpdyFrame.ReadAsync(_transport, _closed.Token) is { } frame)
            {
                if (!await HandleAsync(frame))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
            // The transport ended or the peer spoke nonsense: either way the connection is over.
        }
        finally
        {
            foreach (var stream in _streams.Values)
            {
                stream.EndInbound(reset: true);
                stream.EndOutbound();
            }

            _streams.Clear();
            _accepted.Writer.TryComplete();
        }
    }

    /// <summary>Handles one frame; false when the connection is to end (GOAWAY).</summary>
    private async Task<bool> HandleAsync(SpdyFrame frame)
    {
        switch (frame.Type)
        {
            case SpdyFrameType.Data:
                if (_streams.TryGetValue(frame.StreamId, out var target))
                {
                    target.Received(frame.Payload, frame.Fin);
                }

                break;

            case SpdyFrameType.SynStream:
                var headers = _headerReader.Decompress(frame.Payload.Span[frame.HeaderBlockOffset..]);
                if (frame.StreamId <= _lastRemoteId || frame.StreamId % 2 == (_server ? 0u : 1u))
                {
                    await SendAsync(() => SpdyFrame.RstStream(frame.StreamId, StatusProtocolError), _closed.Token);
                    break;
                }

                _lastRemoteId = frame.StreamId;
                var stream = new SpdyStream(this, frame.StreamId, headers);
                _streams[frame.StreamId] = stream;
                await SendAsync(() => SpdyFrame.SynReply(frame.StreamId, 0, _headerWriter.Compress([])), _closed.Token);
                stream.MarkReplied();
                if (frame.Fin)
                {
                    stream.Received(ReadOnlyMemory<byte>.Empty, fin: true);
                }

                _accepted.Writer.TryWrite(stream);
                break;

            case SpdyFrameType.SynReply:
                _headerReader.Decompress(frame.Payload.Span[frame.HeaderBlockOffset..]);
                if (_streams.TryGetValue(frame.StreamId, out var opened))
                {
                    opened.MarkReplied();
                    if (frame.Fin)
                    {
                        opened.Received(ReadOnlyMemory<byte>.Empty, fin: true);
                    }
                }

                break;

            case SpdyFrameType.Headers:
                // Kept in step with the peer's compression context; Kubernetes sends none.
                _headerReader.Decompress(frame.Payload.Span[frame.HeaderBlockOffset..]);
                break;

            case SpdyFrameType.RstStream:
                if (_streams.TryRemove(frame.StreamId, out var reset))
                {
                    reset.EndInbound(reset: true);
                    reset.EndOutbound();
                }

                break;

            case SpdyFrameType.Ping:
                // A ping the peer started (the other parity) is echoed; this side starts none.
                var id = frame.Payload.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(frame.Payload.Span) : throw new InvalidDataException("spdy: a bad PING");
                if (id % 2 != (_server ? 0u : 1u))
                {
                    await SendAsync(() => SpdyFrame.Ping(id), _closed.Token);
                }

                break;

            case SpdyFrameType.GoAway:
                return false;

            default:
                // SETTINGS and WINDOW_UPDATE: spdystream ignores them too.
                break;
        }

        return true;
    }

    /// <summary>A stream both sides have ended (or reset) takes no more frames.</summary>
    internal void Finished(SpdyStream stream) => _streams.TryRemove(stream.Id, out _);
}
