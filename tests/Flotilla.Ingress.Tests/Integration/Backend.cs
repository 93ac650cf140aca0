using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Flotilla.Ingress.Tests.Integration;

/// <summary>An HTTP server on 127.0.0.1 standing for a pod: it answers "NAME HOST X-FORWARDED-PROTO" for any path.</summary>
internal sealed class Backend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Backend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<Backend> StartAsync(string name)
    {
        ListenOptions? listen = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => listen = l));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync($"{name} {context.Request.Host} {context.Request.Headers["X-Forwarded-Proto"]}"));
        await app.StartAsync();
        return new Backend(app, listen!.IPEndPoint!.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
