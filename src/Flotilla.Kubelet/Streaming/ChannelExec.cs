using System.Net.WebSockets;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Streaming.Spdy;

namespace Flotilla.Kubelet.Streaming;

/// <summary>
/// exec and attach for WebSocket clients (kubectl 1.30+): the channel protocol (<c>v5.channel.k8s.io</c>, or
/// <c>v4</c>), each binary message one channel's bytes behind a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 the
/// final Status, 4 terminal resizes, and in v5 255 to close a channel (stdin's end) — carried to and from the
/// runtime's SPDY session (protocol v4: a stream per channel, the Status as JSON on the error stream).
/// </summary>
public static class ChannelExec
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    public static readonly IReadOnlyCollection<string> Protocols = [V5, V4];

    private const byte Stdin = 0;
    private const byte Stdout = 1;
    private const byte Stderr = 2;
    private const byte Error = 3;
    private const byte Resize = 4;
    private const byte Close = 255;

    public static async Task RunAsync(WebSocket socket, SpdyConnection runtime, StreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(request);

        // Opened in client-go's order, each after the last was answered: error, stdin, stdout, stderr, resize.
        var error = await OpenAsync(runtime, "error", cancellationToken);
        var stdin = request.Stdin ? await OpenAsync(runtime, "stdin", cancellationToken) : null;
        var stdout = request.Stdout ? await OpenAsync(runtime, "stdout", cancellationToken) : null;
        var stderr = request.Stderr && !request.Tty ? await OpenAsync(runtime, "stderr", cancellationToken) : null;
        var resize = request.Tty ? await OpenAsync(runtime, "resize", cancellationToken) : null;
        await error.CloseWriteAsync(cancellationToken);

        var sending = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = ReadInputAsync(socket, stdin, resize, stop.Token);
        var outputs = new[] { (stdout, Stdout), (stderr, Stderr) }
            .Where(o => o.Item1 is not null)
            .Select(o => CopyOutAsync(o.Item1!, o.Item2, socket, sending, stop.Token))
            .ToList();
        var status = error.ReadToEndAsync(stop.Token);

        // Done when the runtime has said how the command ended (its output sent first), or the client went away.
        var ended = Task.WhenAll(outputs.Append(status));
        if (await Task.WhenAny(ended, input) == ended)
        {
            var bytes = await status;
            if (bytes.Length > 0)
            {
                await SendAsync(socket, sending, Error, bytes, stop.Token);
            }

            await CloseAsync(socket);
        }

        await stop.CancelAsync();
        await Task.WhenAll(outputs.Append(input)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static Task<SpdyStream> OpenAsync(SpdyConnection runtime, string type, CancellationToken cancellationToken) =>
        runtime.OpenStreamAsync([new("streamType", type)], cancellationToken);

    /// <summary>Client messages to the runtime's stdin and resize streams, until the client closes the socket.</summary>
    private static async Task ReadInputAsync(WebSocket socket, SpdyStream? stdin, SpdyStream? resize, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, cancellationToken);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                if (message.Length == 0)
                {
                    continue;
                }

                var bytes = message.GetBuffer().AsMemory(1, (int)message.Length - 1);
                switch (message.GetBuffer()[0])
                {
                    case Stdin when stdin is not null:
                        await stdin.WriteAsync(bytes.ToArray(), cancellationToken);
                        break;
                    case Resize when resize is not null:
                        await resize.WriteAsync(bytes.ToArray(), cancellationToken);
                        break;
                    case Close when bytes.Length > 0 && bytes.Span[0] == Stdin && stdin is not null:
                        await stdin.CloseWriteAsync(cancellationToken);
                        break;
                    default:
                        // Anything else (a channel the session has not, an old client's empty frames) is dropped.
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private static async Task CopyOutAsync(SpdyStream from, byte channel, WebSocket socket, SemaphoreSlim sending, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(1), cancellationToken)) > 0)
            {
                buffer[0] = channel;
                await SendRawAsync(socket, sending, buffer.AsMemory(0, read + 1), cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private static Task SendAsync(WebSocket socket, SemaphoreSlim sending, byte channel, byte[] payload, CancellationToken cancellationToken) =>
        SendRawAsync(socket, sending, (byte[])[channel, .. payload], cancellationToken);

    private static async Task SendRawAsync(WebSocket socket, SemaphoreSlim sending, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await sending.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            sending.Release();
        }
    }

    private static async Task CloseAsync(WebSocket socket)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
            // The client is gone already.
        }
    }
}
