using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.Ingress.Routing;
using Flotilla.Ingress.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Flotilla.Ingress;

/// <summary>The routing table and certificates in force; replaced whole when the cluster changes (requests in flight keep theirs).</summary>
public sealed record IngressSnapshot(IngressRoutes Routes, TlsCertificates Certificates);

/// <summary>
/// The ingress controller's listeners (Kestrel, HTTP and HTTPS with the certificate picked by SNI): each request is
/// routed by the current snapshot and forwarded to one of its backend's endpoints (YARP's forwarder, keeping the
/// Host header and adding ingress-nginx's <c>X-Forwarded-*</c> and <c>X-Real-IP</c>). No rule: 404; a backend with
/// no ready endpoint: 503; an endpoint that does not answer: 502.
/// </summary>
public sealed class IngressServer : IAsyncDisposable
{
    /// <summary>How long stopping waits for requests in flight.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _invoker;

    private IngressServer(WebApplication app, HttpMessageInvoker invoker, IPEndPoint http, IPEndPoint https)
    {
        _app = app;
        _invoker = invoker;
        Http = http;
        Https = https;
    }

    public IPEndPoint Http { get; }

    public IPEndPoint Https { get; }

    public static async Task<IngressServer> StartAsync(IngressOptions options, Func<IngressSnapshot> snapshot, X509Certificate2 fallback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(snapshot);
        ListenOptions? http = null;
        ListenOptions? https = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Services.AddHttpForwarder();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(options.Http, l => http = l);
            k.Listen(options.Https, l =>
            {
                https = l;
                l.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, name) => snapshot().Certificates.For(name) ?? fallback });
            });
        });
        var app = builder.Build();
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
        });
        var request = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        var transformer = new IngressTransformer();
        app.Run(async context =>
        {
            var backend = snapshot().Routes.Route(context.Request.Host.Value, context.Request.Path.Value ?? "/");
            if (backend is null)
            {
                await WriteAsync(context, StatusCodes.Status404NotFound, "default backend - 404\n");
                return;
            }

            if (backend.Endpoints.Count == 0)
            {
                await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "503 Service Temporarily Unavailable\n");
                return;
            }

            // The forwarder answers 502 (504 on a timeout) itself when the endpoint fails.
            await forwarder.SendAsync(context, "http://" + backend.Next(), invoker, request, transformer);
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            invoker.Dispose();
            throw;
        }

        return new IngressServer(app, invoker, http!.IPEndPoint!, https!.IPEndPoint!);
    }

    public async ValueTask DisposeAsync()
    {
        using (var drain = new CancellationTokenSource(DrainTimeout))
        {
            await _app.StopAsync(drain.Token);
        }

        await _app.DisposeAsync();
        _invoker.Dispose();
    }

    private static Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// What ingress-nginx tells a backend of the original request (with its default <c>use-forwarded-headers: false</c>:
    /// a client's own <c>X-Forwarded-For</c> is not believed, it is passed on as <c>X-Original-Forwarded-For</c>).
    /// </summary>
    private sealed class IngressTransformer : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Host = httpContext.Request.Host.Value;
            var client = httpContext.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
            var claimed = httpContext.Request.Headers["X-Forwarded-For"].ToString();
            if (claimed.Length > 0)
            {
                proxyRequest.Headers.Remove("X-Original-Forwarded-For");
                proxyRequest.Headers.TryAddWithoutValidation("X-Original-Forwarded-For", claimed);
            }

            foreach (var (name, value) in new[]
            {
                ("X-Forwarded-For", client),
                ("X-Real-IP", client),
                ("X-Forwarded-Host", httpContext.Request.Host.Value ?? string.Empty),
                ("X-Forwarded-Port", httpContext.Connection.LocalPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("X-Forwarded-Proto", httpContext.Request.Scheme),
            })
            {
                proxyRequest.Headers.Remove(name);
                proxyRequest.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }
}
