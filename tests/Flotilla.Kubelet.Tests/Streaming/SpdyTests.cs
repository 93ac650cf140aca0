using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Flotilla.Kubelet.Streaming.Spdy;

namespace Flotilla.Kubelet.Tests.Streaming;

public sealed class SpdyTests
{
    [Fact]
    public void TheDictionaryIsSpdy3s()
    {
        Assert.Equal(1423, SpdyDictionary.Bytes.Length);
        Assert.Equal("51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02", Convert.ToHexStringLower(SHA256.HashData(SpdyDictionary.Bytes)));
    }

    [Fact]
    public void AHeaderBlockGoCompressedWithTheDictionaryIsRead()
    {
        // {"streamtype": "error"} as Go's spdy framer writes its first block (zlib level 9, FDICT, sync flush).
        var block = Convert.FromHexString("78f9e3c6a7c202a62346703a2b294a4dcc851625aca9a08006000000ffff");
        using var reader = new SpdyHeaderReader();
        var headers = reader.Decompress(block);
        Assert.Equal([new("streamtype", "error")], headers);
    }

    [Fact]
    public void HeaderBlocksShareOneCompressionContextPerDirection()
    {
        using var writer = new SpdyHeaderWriter();
        using var reader = new SpdyHeaderReader();
        for (var i = 0; i < 5; i++)
        {
            List<KeyValuePair<string, string>> sent = [new("streamType", "data"), new("port", "80"), new("requestID", i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            var got = reader.Decompress(writer.Compress(sent));
            Assert.Equal(sent.Select(h => new KeyValuePair<string, string>(h.Key.ToLowerInvariant(), h.Value)), got);
        }
    }

    [Fact]
    public void ValuesOfOneNameAreJoinedByNul()
    {
        var block = SpdyHeaderBlock.Encode([new("x", "a\0b")]);
        Assert.Equal([new("x", "a"), new("x", "b")], SpdyHeaderBlock.Decode(block));
        Assert.Throws<InvalidDataException>(() => SpdyHeaderBlock.Decode(block.AsSpan(0, block.Length - 1)));
    }

    [Fact]
    public async Task StreamsCarryHeadersDataAndHalfClosesBothWays()
    {
        var (client, server) = await ConnectedAsync();
        await using (client)
        await using (server)
        {
            var opening = client.OpenStreamAsync([new("streamType", "stdin")], CancellationToken.None);
            var accepted = await server.Accepted.ReadAsync();
            var opened = await opening;
            Assert.Equal("stdin", accepted.Header("streamtype"));
            Assert.Equal(1u, opened.Id);

            await opened.WriteAsync(new byte[100_000], CancellationToken.None);
            await opened.WriteAsync("end"u8.ToArray(), CancellationToken.None);
            await opened.CloseWriteAsync(CancellationToken.None);
            var got = await accepted.ReadToEndAsync(CancellationToken.None);
            Assert.Equal(100_003, got.Length);
            Assert.Equal("end", Encoding.ASCII.GetString(got[^3..]));

            await accepted.WriteAsync("back"u8.ToArray(), CancellationToken.None);
            await accepted.CloseWriteAsync(CancellationToken.None);
            Assert.Equal("back", Encoding.ASCII.GetString(await opened.ReadToEndAsync(CancellationToken.None)));

            // A second stream on the same connection: the next odd ID, headers still decodable.
            var second = client.OpenStreamAsync([new("streamType", "error")], CancellationToken.None);
            Assert.Equal("error", (await server.Accepted.ReadAsync()).Header("streamType"));
            Assert.Equal(3u, (await second).Id);
        }
    }

    [Fact]
    public async Task AResetEndsTheStreamAndTheConnectionsEndEndsEveryStream()
    {
        var (client, server) = await ConnectedAsync();
        await using (client)
        {
            var opening = client.OpenStreamAsync([new("streamType", "data")], CancellationToken.None);
            var accepted = await server.Accepted.ReadAsync();
            var opened = await opening;
            await accepted.ResetAsync(CancellationToken.None);
            Assert.Equal(0, await opened.ReadAsync(new byte[10], CancellationToken.None));
            Assert.True(opened.Reset);

            var other = client.OpenStreamAsync([new("streamType", "data")], CancellationToken.None);
            var otherAccepted = await server.Accepted.ReadAsync();
            await other;
            await server.DisposeAsync();
            Assert.Equal(0, await (await other).ReadAsync(new byte[10], CancellationToken.None));
            await client.Completion.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.False(await client.Accepted.WaitToReadAsync());
            _ = otherAccepted;
        }
    }

    [Fact]
    public async Task APingFromThePeerIsEchoed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var server = SpdyConnection.Start(accepted.GetStream(), server: true);
        var wire = raw.GetStream();
        await wire.WriteAsync(SpdyFrame.Ping(7));
        var echo = await SpdyFrame.ReadAsync(wire, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SpdyFrameType.Ping, echo!.Type);
        Assert.Equal(SpdyFrame.Ping(7)[8..], echo.Payload.ToArray());
    }

    private static async Task<(SpdyConnection Client, SpdyConnection Server)> ConnectedAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await listener.AcceptTcpClientAsync();
        return (SpdyConnection.Start(client.GetStream(), server: false), SpdyConnection.Start(server.GetStream(), server: true));
    }
}
