using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Flotilla.Kubelet.Streaming;

/// <summary>
/// The two ways a streaming request switches protocols: WebSocket (kubectl 1.30+, a subprotocol per stream
/// protocol) and SPDY/3.1 (older clients, and kubectl with its WebSocket feature turned off; the protocol in
/// <c>X-Stream-Protocol-Version</c>). The first protocol the client offers that the server speaks wins.
/// </summary>
public static class StreamUpgrades
{
    public const string SpdyUpgrade = "SPDY/3.1";
    public const string ProtocolHeader = "X-Stream-Protocol-Version";
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static bool IsWebSocket(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);

    public static bool IsSpdy(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("spdy/3.1", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first protocol the client offers (in any header line, comma-separated) that is in <paramref name="supported"/>.</summary>
    public static string? Choose(HttpRequest request, IReadOnlyCollection<string> supported)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = IsWebSocket(request) ? "Sec-WebSocket-Protocol" : ProtocolHeader;
        return request.Headers[header]
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .FirstOrDefault(supported.Contains);
    }

    /// <summary>Answers 101 with the WebSocket handshake (RFC 6455) and returns the server end of the socket.</summary>
    public static async Task<WebSocket> AcceptWebSocketAsync(HttpContext context, string protocol)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        context.Response.Headers["Sec-WebSocket-Protocol"] = protocol;
        var stream = await Upgrade(context).UpgradeAsync();

        // The protocol is told in the header only: .NET refuses names like kubectl's SPDY/3.1+portforward.k8s.io ('/').
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
    }

    /// <summary>Answers 101 with SPDY/3.1 and the chosen protocol; returns the raw connection.</summary>
    public static Task<Stream> AcceptSpdyAsync(HttpContext context, string protocol)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.Upgrade = SpdyUpgrade;
        context.Response.Headers[ProtocolHeader] = protocol;
        return Upgrade(context).UpgradeAsync();
    }

    /// <summary>Whether the request can switch protocols at all (HTTP/1.1 with an Upgrade header).</summary>
    public static bool CanUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } && (IsWebSocket(context.Request) || IsSpdy(context.Request));

    private static IHttpUpgradeFeature Upgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() ?? throw new InvalidOperationException("the request cannot be upgraded");
}
