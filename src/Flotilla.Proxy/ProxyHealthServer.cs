using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Flotilla.Proxy;

/// <summary>The proxy's plain-HTTP server (upstream's port 10256): <c>/healthz</c> and <c>/livez</c> from <see cref="ProxyHealth"/>, <c>/metrics</c> from <see cref="ProxyMetrics"/>.</summary>
public sealed class ProxyHealthServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProxyHealthServer(WebApplication app, IPEndPoint bound)
    {
        _app = app;
        Endpoint = bound;
    }

    /// <summary>Where it listens (the port chosen when 0 was asked).</summary>
    public IPEndPoint Endpoint { get; }

    public static async Task<ProxyHealthServer> StartAsync(IPEndPoint endpoint, ProxyHealth health, ProxyMetrics metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(metrics);
        ListenOptions? listen = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(endpoint, l => listen = l));
        var app = builder.Build();
        app.Run(context => context.Request.Path.Value switch
        {
            "/healthz" or "/livez" => WriteHealthAsync(context, health),
            "/metrics" => WriteAsync(context, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.Text()),
            _ => WriteAsync(context, 404, "text/plain; charset=utf-8", "404 page not found\n"),
        });
        await app.StartAsync(cancellationToken);
        return new ProxyHealthServer(app, listen!.IPEndPoint!);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static Task WriteHealthAsync(HttpContext context, ProxyHealth health)
    {
        var (healthy, body) = health.Check();
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return WriteAsync(context, healthy ? 200 : 503, "application/json", body);
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
