using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Streaming;
using Flotilla.Kubelet.Streaming.Spdy;

namespace Flotilla.Kubelet.Tests.Streaming;

/// <summary>The WebSocket channel protocol carried to a runtime's SPDY session (here a scripted one on the loopback).</summary>
public sealed class ChannelExecTests
{
    [Fact]
    public async Task ChannelsReachTheirStreams_StdinsCloseIsItsEnd_AndTheStatusComesLast()
    {
        var (clientSocket, serverSocket) = await WebSocketPairAsync();
        var (kubeletSide, runtimeSide) = await SpdyPairAsync();
        await using (kubeletSide)
        await using (runtimeSide)
        {
            var request = new StreamRequest(StreamKind.Exec, "c1") { Stdin = true, Stdout = true, Stderr = true };
            var relay = ChannelExec.RunAsync(serverSocket, kubeletSide, request, CancellationToken.None);

            // The runtime: streams arrive in client-go's order; stdin is echoed to stdout once it ends.
            var streams = new Dictionary<string, SpdyStream>();
            for (var i = 0; i < 4; i++)
            {
                var stream = await runtimeSide.Accepted.ReadAsync();
                streams[stream.Header("streamtype")!] = stream;
            }

            Assert.Equal(["error", "stdin", "stdout", "stderr"], streams.OrderBy(s => s.Value.Id).Select(s => s.Key));
            await Send(clientSocket, 0, "typed ");
            await Send(clientSocket, 0, "text");
            await Send(clientSocket, 255, "\0");
            var stdin = await streams["stdin"].ReadToEndAsync(CancellationToken.None);
            await streams["stdout"].WriteAsync(stdin, CancellationToken.None);
            await streams["stderr"].WriteAsync("warned"u8.ToArray(), CancellationToken.None);
            await streams["error"].WriteAsync("""{"metadata":{},"status":"Success"}"""u8.ToArray(), CancellationToken.None);
            await runtimeSide.DisposeAsync();

            var received = new List<(byte Channel, string Text)>();
            var buffer = new byte[1024];
            while (true)
            {
                var result = await clientSocket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                received.Add((buffer[0], Encoding.UTF8.GetString(buffer, 1, result.Count - 1)));
            }

            await relay.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("typed text", string.Concat(received.Where(r => r.Channel == 1).Select(r => r.Text)));
            Assert.Equal("warned", string.Concat(received.Where(r => r.Channel == 2).Select(r => r.Text)));
            Assert.Equal((3, """{"metadata":{},"status":"Success"}"""), received[^1]);
        }
    }

    [Fact]
    public async Task ATerminalHasNoStderr_ButResizes()
    {
        var (clientSocket, serverSocket) = await WebSocketPairAsync();
        var (kubeletSide, runtimeSide) = await SpdyPairAsync();
        await using (kubeletSide)
        await using (runtimeSide)
        {
            var request = new StreamRequest(StreamKind.Attach, "c1") { Stdin = true, Stdout = true, Tty = true };
            _ = ChannelExec.RunAsync(serverSocket, kubeletSide, request, CancellationToken.None);
            var types = new List<string>();
            SpdyStream? resize = null;
            for (var i = 0; i < 4; i++)
            {
                var stream = await runtimeSide.Accepted.ReadAsync();
                types.Add(stream.Header("streamtype")!);
                resize = stream.Header("streamtype") == "resize" ? stream : resize;
            }

            Assert.Equal(["error", "stdin", "stdout", "resize"], types);
            await Send(clientSocket, 4, """{"Width":100,"Height":30}""");
            var buffer = new byte[100];
            var read = await resize!.ReadAsync(buffer, CancellationToken.None);
            Assert.Equal("""{"Width":100,"Height":30}""", Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    private static Task Send(WebSocket socket, byte channel, string text) =>
        socket.SendAsync((byte[])[channel, .. Encoding.UTF8.GetBytes(text)], WebSocketMessageType.Binary, true, CancellationToken.None);

    private static async Task<(WebSocket Client, WebSocket Server)> WebSocketPairAsync()
    {
        var (a, b) = await TcpPairAsync();
        return (WebSocket.CreateFromStream(a, new WebSocketCreationOptions { IsServer = false }), WebSocket.CreateFromStream(b, new WebSocketCreationOptions { IsServer = true }));
    }

    private static async Task<(SpdyConnection Client, SpdyConnection Server)> SpdyPairAsync()
    {
        var (a, b) = await TcpPairAsync();
        return (SpdyConnection.Start(a, server: false), SpdyConnection.Start(b, server: true));
    }

    private static async Task<(Stream, Stream)> TcpPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        return (client.GetStream(), server.GetStream());
    }
}
