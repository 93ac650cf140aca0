using Flotilla.Kubelet.Streaming.Spdy;

namespace Flotilla.Kubelet.Streaming;

/// <summary>
/// The kubelet's side of a session on the runtime's streaming server (containerd's, at the URL CRI Exec, Attach or
/// PortForward gave): a SPDY/3.1 upgrade over plain HTTP on the loopback, as upstream's kubelet proxies it.
/// </summary>
public static class RuntimeStreams
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Upgrades to SPDY speaking <paramref name="protocol"/>; throws <see cref="IOException"/> with the runtime's words when refused.</summary>
    public static async Task<SpdyConnection> ConnectAsync(Uri url, string protocol, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", StreamUpgrades.SpdyUpgrade);
        request.Headers.TryAddWithoutValidation(StreamUpgrades.ProtocolHeader, protocol);
        request.Content = new ByteArrayContent([]);
        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.SwitchingProtocols)
        {
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new IOException($"the runtime refused the stream ({(int)response.StatusCode}): {body.Trim()}");
            }
        }

        // After 101 the response body is the connection itself, both ways.
        var connection = await response.Content.ReadAsStreamAsync(cancellationToken);
        return SpdyConnection.Start(connection, server: false);
    }
}
