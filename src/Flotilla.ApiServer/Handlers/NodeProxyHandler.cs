using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Kubelets;
using Flotilla.ApiServer.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// <c>/api/v1/nodes/{name}/proxy/{path}</c> (upstream's ProxyREST for nodes): the request passed to the node's
/// kubelet API with the API server's kubelet identity, and its answer passed back as it is —
/// <c>kubectl get --raw /api/v1/nodes/n1/proxy/pods</c>. Only the kubelet's own port is reachable this way.
/// </summary>
public static class NodeProxyHandler
{
    private static readonly HashSet<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public static async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(info);
        if (!Methods.Contains(context.Request.Method))
        {
            throw StatusException.MethodNotSupported(string.Empty, "nodes/proxy", info.Verb);
        }

        var connections = context.RequestServices.GetRequiredService<KubeletConnections>();
        var registry = context.RequestServices.GetRequiredService<ResourceRegistry>();
        var (node, port) = SplitNamePort(info.Name!);
        var kubelet = await connections.LocationAsync(registry, node, context.RequestAborted);
        if (port is not null && port != kubelet.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw StatusException.BadRequest($"proxying to port {port} of node {node} is not supported: only its kubelet's port {kubelet.Port} is");
        }

        // The path as the client sent it, escapes kept (the parsed segments are decoded).
        var raw = context.Request.Path.Value ?? string.Empty;
        var marker = $"/nodes/{info.Name}/proxy";
        var at = raw.IndexOf(marker, StringComparison.Ordinal);
        var path = at < 0 ? "/" + info.ProxyPath : raw[(at + marker.Length)..];
        var location = new UriBuilder(kubelet) { Path = path.Length == 0 ? "/" : path, Query = context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty }.Uri;
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), location);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        await KubeletProxy.ForwardAsync(context, connections, request);
    }

    /// <summary>upstream's SplitSchemeNamePort for the forms Flotilla takes: <c>name</c> and <c>name:port</c>.</summary>
    private static (string Name, string? Port) SplitNamePort(string id)
    {
        var parts = id.Split(':');
        return parts.Length switch
        {
            1 when parts[0].Length > 0 => (parts[0], null),
            2 when parts[0].Length > 0 && int.TryParse(parts[1], out _) => (parts[0], parts[1]),
            _ => throw StatusException.BadRequest($"invalid node request \"{id}\""),
        };
    }
}
