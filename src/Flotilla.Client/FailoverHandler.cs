using System.Net.Http;

namespace Flotilla.Client;

/// <summary>
/// One client over several API servers (an HA control plane): requests go to the current server; when it cannot be
/// reached (no connection, so nothing was sent) the next one is tried, and the one that answers stays current, as
/// k3s' client load balancer keeps to a live server. A watch broken by a dying server is opened again by its caller,
/// and so lands on a live one. Every server answers for the same cluster (one CA, one store).
/// </summary>
public sealed class FailoverHandler : DelegatingHandler
{
    private readonly IReadOnlyList<Uri> _servers;
    private int _current;

    public FailoverHandler(IReadOnlyList<Uri> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentOutOfRangeException.ThrowIfZero(servers.Count);
        _servers = servers;
    }

    /// <summary>The server requests go to now.</summary>
    public Uri Current => _servers[Volatile.Read(ref _current)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = request.Content is null || _servers.Count == 1 ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var start = Volatile.Read(ref _current);
        for (var tried = 0; ; tried++)
        {
            var index = (start + tried) % _servers.Count;
            var attempt = tried == 0 ? request : RetryAfterHandler.Copy(request, body);
            attempt.RequestUri = On(_servers[index], request.RequestUri!);
            try
            {
                var response = await base.SendAsync(attempt, cancellationToken);
                Volatile.Write(ref _current, index);
                return response;
            }
            catch (HttpRequestException e) when (tried < _servers.Count - 1 && e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
            {
                // Not sent: the next server.
            }
        }
    }

    /// <summary><paramref name="request"/>'s path and query on <paramref name="server"/>.</summary>
    private static Uri On(Uri server, Uri request) =>
        new UriBuilder(request) { Scheme = server.Scheme, Host = server.Host, Port = server.Port }.Uri;
}
