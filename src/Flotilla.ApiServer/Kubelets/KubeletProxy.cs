using System.Net.Sockets;
using Flotilla.Api.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Flotilla.ApiServer.Kubelets;

/// <summary>Carries a kubelet's answer to the client: a checked stream (logs) or the answer as it is (node proxy).</summary>
public static class KubeletProxy
{
    /// <summary>
    /// Upstream's LocationStreamer: a refusal becomes a Status (<see cref="KubeletAnswers"/>); otherwise 200, plain
    /// text, copied as it comes (and flushed at once with <paramref name="flush"/>, for <c>follow</c>).
    /// </summary>
    public static async Task StreamAsync(HttpContext context, KubeletConnections connections, HttpRequestMessage request, bool insecureSkipTlsVerify, string resource, string name, bool flush)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        using (var response = await SendAsync(connections, request, insecureSkipTlsVerify, context.RequestAborted))
        {
            if (await KubeletAnswers.CheckAsync(response, resource, name, context.RequestAborted) is { } refused)
            {
                throw refused;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/plain";
            await CopyAsync(response, context, flush);
        }
    }

    /// <summary>Upstream's proxy handler: the kubelet's status, content type and body, whatever they are.</summary>
    public static async Task ForwardAsync(HttpContext context, KubeletConnections connections, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        using (var response = await SendAsync(connections, request, false, context.RequestAborted))
        {
            context.Response.StatusCode = (int)response.StatusCode;
            if (response.Content.Headers.ContentType is { } type)
            {
                context.Response.ContentType = type.ToString();
            }

            await CopyAsync(response, context, flush: true);
        }
    }

    /// <summary>
    /// Upstream's UpgradeAwareHandler for exec, attach and port-forward: the client's upgrade request (WebSocket, or
    /// SPDY from older clients) is passed to the kubelet over HTTP/1.1; when the kubelet switches protocols, the
    /// client's connection is switched too and bytes are copied both ways until either side ends. A refusal
    /// becomes a Status, as for logs.
    /// </summary>
    public static async Task UpgradeAsync(HttpContext context, KubeletConnections connections, Uri location, bool insecureSkipTlsVerify, string resource, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(location);
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is not { IsUpgradableRequest: true })
        {
            throw StatusException.BadRequest("Upgrade request required");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, location) { Version = System.Net.HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            request.Method = new HttpMethod(context.Request.Method);
        }

        foreach (var (header, values) in context.Request.Headers)
        {
            // The client's credentials were for this server; the kubelet gets the API server's.
            if (!UnforwardedHeaders.Contains(header) && !header.StartsWith("Impersonate-", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(header, (IEnumerable<string?>)values);
            }
        }

        using var response = await SendAsync(connections, request, insecureSkipTlsVerify, context.RequestAborted);
        if (response.StatusCode != System.Net.HttpStatusCode.SwitchingProtocols)
        {
            throw await KubeletAnswers.CheckAsync(response, resource, name, context.RequestAborted)
                ?? StatusException.Internal($"the kubelet did not upgrade the connection for {resource} {name} (status {(int)response.StatusCode})");
        }

        foreach (var (header, values) in response.Headers)
        {
            if (!header.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header] = values.ToArray();
            }
        }

        await using var kubelet = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await using var client = await upgrade.UpgradeAsync();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var up = PumpAsync(client, kubelet, done.Token);
        var down = PumpAsync(kubelet, client, done.Token);
        await Task.WhenAny(up, down);
        await done.CancelAsync();
        await Task.WhenAll(up, down);
    }

    /// <summary>Copies until the source ends, then says so to the destination (a half-close where it can).</summary>
    private static async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                await to.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
        {
            // Either side went away: the other is closed with it.
        }
    }

    private static readonly HashSet<string> UnforwardedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Host", "Content-Length", "Transfer-Encoding", "Proxy-Authorization", "Keep-Alive",
    };

    private static async Task<HttpResponseMessage> SendAsync(KubeletConnections connections, HttpRequestMessage request, bool insecureSkipTlsVerify, CancellationToken cancellationToken)
    {
        try
        {
            return await connections.SendAsync(request, insecureSkipTlsVerify, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // As Go's client says it: Get "https://…": dial tcp 127.0.0.1:10250: connect: connection refused.
            var uri = request.RequestUri!;
            var why = e.InnerException switch
            {
                SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"dial tcp {uri.Host}:{uri.Port}: connect: connection refused",
                System.Security.Authentication.AuthenticationException tls => $"tls: failed to verify certificate: {tls.Message}",
                { } inner => inner.Message,
                null => e.Message,
            };
            throw new StatusException(500, string.Empty, $"{request.Method.Method[0]}{request.Method.Method[1..].ToLowerInvariant()} \"{uri}\": {why}");
        }
    }

    private static async Task CopyAsync(HttpResponseMessage response, HttpContext context, bool flush)
    {
        await context.Response.StartAsync(context.RequestAborted);
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = new byte[32 * 1024];
        int read;
        try
        {
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                if (flush)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            // The kubelet went away mid-stream: the status is sent already, so the body just ends (as upstream's does).
        }
    }
}
