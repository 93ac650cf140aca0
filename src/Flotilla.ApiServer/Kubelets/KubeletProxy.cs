using System.Net.Sockets;
using Flotilla.Api.Errors;
using Microsoft.AspNetCore.Http;

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
