using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Flotilla.Client.Tests;

/// <summary>Real sockets on 127.0.0.1: a port nobody listens on refuses the connection, as a killed API server's does.</summary>
public sealed class FailoverHandlerTests
{
    [Fact]
    public async Task AnUnreachableServer_IsSkipped_WithTheBody_AndTheLiveOneStaysCurrent()
    {
        using var live = new OneLineServer(HttpStatusCode.OK);
        var servers = new[] { new Uri($"http://127.0.0.1:{DeadPort()}"), live.Url };
        using var failover = new FailoverHandler(servers) { InnerHandler = new SocketsHttpHandler() };
        using var client = new HttpClient(failover);

        using var response = await client.PostAsync(new Uri(servers[0], "/api/v1/namespaces/default/pods?dryRun=All"), new StringContent("{\"kind\":\"Pod\"}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["POST /api/v1/namespaces/default/pods?dryRun=All {\"kind\":\"Pod\"}"], live.Requests);
        Assert.Equal(live.Url, failover.Current);
        using var next = await client.GetAsync(new Uri(servers[0], "/api"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, live.Requests.Count);
    }

    [Fact]
    public async Task AnAnsweringServer_IsKept_EvenWhenItAnswersAnError_AndNoServerIsAnError()
    {
        using var failing = new OneLineServer(HttpStatusCode.InternalServerError);
        using var other = new OneLineServer(HttpStatusCode.OK);
        using (var client = new HttpClient(new FailoverHandler([failing.Url, other.Url]) { InnerHandler = new SocketsHttpHandler() }))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync(new Uri(failing.Url, "/api"))).StatusCode);
        }

        Assert.Empty(other.Requests);
        using var none = new HttpClient(new FailoverHandler([new Uri($"http://127.0.0.1:{DeadPort()}"), new Uri($"http://127.0.0.1:{DeadPort()}")]) { InnerHandler = new SocketsHttpHandler() });
        var e = await Assert.ThrowsAsync<HttpRequestException>(() => none.GetAsync(new Uri("http://127.0.0.1:1/api")));
        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
    }

    private static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Answers every request with <paramref name="status"/> and records its request line and body.</summary>
    private sealed class OneLineServer : IDisposable
    {
        private readonly HttpListener _listener = new();

        public OneLineServer(HttpStatusCode status)
        {
            Url = new Uri($"http://127.0.0.1:{DeadPort()}");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _ = ServeAsync(status);
        }

        public Uri Url { get; }

        public List<string> Requests { get; } = [];

        public void Dispose() => _listener.Close();

        private async Task ServeAsync(HttpStatusCode status)
        {
            try
            {
                while (true)
                {
                    var context = await _listener.GetContextAsync();
                    using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                    var body = await reader.ReadToEndAsync();
                    Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.PathAndQuery}{(body.Length > 0 ? " " + body : string.Empty)}");
                    context.Response.StatusCode = (int)status;
                    context.Response.Close();
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or HttpListenerException or InvalidOperationException)
            {
                // Stopped.
            }
        }
    }
}
