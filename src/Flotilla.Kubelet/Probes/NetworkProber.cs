using System.Globalization;
using System.Net.Sockets;
using Flotilla.Api.Serialization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Flotilla.Kubelet.Probes;

/// <summary>
/// Probes over the network as upstream's pkg/probe does them, with its messages: HTTP GET succeeds on 200 to 399
/// (redirects followed on the same host, at most 10 — one to another host ends the probe with a warning;
/// certificates not checked, no keep-alive); TCP on a completed connect; gRPC on
/// <c>SERVING</c> from grpc.health.v1.Health/Check.
/// </summary>
public sealed class NetworkProber : INetworkProber, IDisposable
{
    private const int MaxBody = 10 * 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The User-Agent upstream's prober sends (<c>kube-probe/1.32</c>).</summary>
    public static string UserAgent { get; } = $"kube-probe/{Flotilla.Api.BuildVersion.KubernetesMajor}.{Flotilla.Api.BuildVersion.KubernetesMinor}";

    public async Task<ProbeResult> HttpGetAsync(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, TimeSpan timeout, bool anyStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var target = url;
        try
        {
            // Go's client with upstream's RedirectChecker: same-host redirects followed, another host's answered as is.
            for (var redirects = 0; ; redirects++)
            {
                using var request = Request(target, headers);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var code = (int)response.StatusCode;
                if (code is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(target, location);
                    if (string.Equals(next.Host, url.Host, StringComparison.OrdinalIgnoreCase))
                    {
                        if (redirects + 1 >= 10)
                        {
                            return ProbeResult.Failure($"Get \"{next}\": stopped after 10 redirects");
                        }

                        target = next;
                        continue;
                    }
                }

                var body = await ReadBodyAsync(response, deadline.Token);
                if (!anyStatus && code is >= 300 and < 400)
                {
                    return ProbeResult.Warned($"Probe terminated redirects, Response body: {body}");
                }

                return anyStatus || code is >= 200 and < 400
                    ? ProbeResult.Success(body)
                    : ProbeResult.Failure(string.Create(CultureInfo.InvariantCulture, $"HTTP probe failed with statuscode: {code}"));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failure($"Get \"{target}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Failure($"Get \"{target}\": {Dial(target.Host, target.Port, e.InnerException as SocketException ?? (Exception)e)}");
        }
    }

    private static HttpRequestMessage Request(Uri url, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
                continue;
            }

            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public async Task<ProbeResult> TcpAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(host, port, deadline.Token);
            return ProbeResult.Success();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failure($"dial tcp {Endpoint(host, port)}: i/o timeout");
        }
        catch (SocketException e)
        {
            return ProbeResult.Failure(Dial(host, port, e));
        }
    }

    public async Task<ProbeResult> GrpcAsync(string host, int port, string service, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = Endpoint(host, port);
        using var channel = GrpcChannel.ForAddress($"http://{target}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, ConnectTimeout = timeout },
            DisposeHttpClient = true,
        });
        var client = new Health.HealthClient(channel);
        var seconds = GoDuration.Format(timeout);
        try
        {
            var response = await client.CheckAsync(
                new HealthCheckRequest { Service = service ?? string.Empty },
                new CallOptions(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken, headers: new Metadata { { "User-Agent", UserAgent } }));
            return response.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? ProbeResult.Success("service healthy")
                : ProbeResult.Failure($"service unhealthy (responded with \"{GrpcStatusName(response.Status)}\")");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            return ProbeResult.Failure($"this server does not implement the grpc health protocol (grpc.health.v1.Health): {e.Status.Detail}");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            return ProbeResult.Failure($"timeout: health rpc did not complete within {seconds}");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
        {
            return ProbeResult.Failure($"timeout: failed to connect service \"{target}\" within {seconds}: {e.Status.Detail}");
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failure($"error: health rpc probe failed: {e.Status.Detail}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBody];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>A failed dial as Go words it (<c>dial tcp 10.42.0.5:80: connect: connection refused</c>).</summary>
    private static string Dial(string host, int port, Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"dial tcp {Endpoint(host, port)}: connect: connection refused",
        SocketException { SocketErrorCode: SocketError.TimedOut } => $"dial tcp {Endpoint(host, port)}: i/o timeout",
        SocketException { SocketErrorCode: SocketError.HostUnreachable or SocketError.NetworkUnreachable } => $"dial tcp {Endpoint(host, port)}: connect: no route to host",
        _ => $"dial tcp {Endpoint(host, port)}: {e.Message}",
    };

    private static string Endpoint(string host, int port) =>
        host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";

    private static string GrpcStatusName(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        _ => "UNKNOWN",
    };
}
