using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Server;

/// <summary>
/// The kubelet's API (upstream's port 10250) for every node of this process: one Kestrel with an HTTPS listener per
/// node, so hundreds of hollow nodes cost a socket each. The port a connection came in on says which node it asks.
/// Every request is authenticated and authorized (<see cref="KubeletAuth"/>) before the node's
/// <see cref="NodeApi"/> answers it.
/// </summary>
public sealed partial class KubeletServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, NodeEndpoint> _byNode;
    private readonly Dictionary<int, NodeEndpoint> _byPort;

    private KubeletServer(WebApplication app, ConcurrentDictionary<string, NodeEndpoint> byNode, Dictionary<int, NodeEndpoint> byPort)
    {
        _app = app;
        _byNode = byNode;
        _byPort = byPort;
    }

    /// <summary>Listens for every node, each on its own port; a node's API answers 503 until its kubelet is serving.</summary>
    public static async Task<KubeletServer> StartAsync(IReadOnlyList<KubeletListen> nodes, KubeletAuth auth, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(auth);
        var byNode = new ConcurrentDictionary<string, NodeEndpoint>(StringComparer.Ordinal);
        var listeners = new List<(NodeEndpoint Node, ListenOptions Options)>();
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            foreach (var node in nodes)
            {
                var endpoint = byNode.GetOrAdd(node.NodeName, n => new NodeEndpoint(n));
                k.Listen(node.Address, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (_, _) => node.Certificate.Current,
                        ClientCertificateMode = ClientCertificateMode.AllowCertificate,

                        // Any certificate passes the handshake; a bad one gets 401, as upstream's kubelet answers.
                        ClientCertificateValidation = (_, _, _) => true,
                    });
                    listeners.Add((endpoint, listen));
                });
            }
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var app = builder.Build();
        var byPort = new Dictionary<int, NodeEndpoint>();
        var log = logs.CreateLogger("Flotilla.Kubelet.Server");
        app.Run(context => HandleAsync(context, byPort, auth, log));
        await app.StartAsync(cancellationToken);

        // Kestrel writes the bound port back into each listener (port 0 asked for any).
        foreach (var (node, options) in listeners)
        {
            node.Port = options.IPEndPoint!.Port;
            byPort[node.Port] = node;
            LogListening(log, node.NodeName, options.IPEndPoint.ToString());
        }

        return new KubeletServer(app, byNode, byPort);
    }

    /// <summary>One node's place in the server: its bound port, and its API once the kubelet serves.</summary>
    public NodeEndpoint this[string nodeName] => _byNode[nodeName];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, Dictionary<int, NodeEndpoint> byPort, KubeletAuth auth, ILogger log)
    {
        if (!byPort.TryGetValue(context.Connection.LocalPort, out var node) || node.Api is not { } api)
        {
            await PlainAsync(context, StatusCodes.Status503ServiceUnavailable, "the kubelet is starting");
            return;
        }

        var user = await auth.AuthenticateAsync(context, context.RequestAborted);
        if (user is null)
        {
            await PlainAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
            return;
        }

        var attributes = KubeletAuth.Attributes(user, node.NodeName, context.Request.Method, context.Request.Path.Value ?? "/");
        bool allowed;
        try
        {
            allowed = await auth.AuthorizeAsync(attributes, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            LogAuthorizationError(log, node.NodeName, e.Message);
            await PlainAsync(context, StatusCodes.Status500InternalServerError, attributes.AuthorizationError());
            return;
        }

        if (!allowed)
        {
            await PlainAsync(context, StatusCodes.Status403Forbidden, attributes.Forbidden());
            return;
        }

        await api.HandleAsync(context);
    }

    internal static async Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node {Node}: kubelet API listening on https://{Address}")]
    private static partial void LogListening(ILogger log, string node, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Node}: authorizing a kubelet API request failed: {Error}")]
    private static partial void LogAuthorizationError(ILogger log, string node, string error);
}

/// <summary>A node's listener in the <see cref="KubeletServer"/>.</summary>
public sealed class NodeEndpoint(string nodeName)
{
    public string NodeName { get; } = nodeName;

    /// <summary>The port it listens on (the Node's <c>status.daemonEndpoints.kubeletEndpoint.port</c>).</summary>
    public int Port { get; internal set; }

    internal NodeApi? Api { get; private set; }

    /// <summary>Starts answering with this node's pods and runtime.</summary>
    public void Serve(NodeApi api) => Api = api;
}
