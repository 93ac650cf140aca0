using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Endpoints;

/// <summary>
/// <c>GET /cacerts</c>: the cluster CA's PEM, before authentication (k3s' supervisor path). A joining agent reads it
/// over an unverified connection and trusts it only when its SHA-256 is the hash its join token carries.
/// </summary>
public static class CaCertsEndpoint
{
    public const string Path = "/cacerts";

    public static void UseCaCerts(this IApplicationBuilder app, string caPem)
    {
        ArgumentNullException.ThrowIfNull(app);
        var body = Encoding.ASCII.GetBytes(caPem);
        app.Use((context, next) =>
        {
            if (context.Request.Path != Path || !HttpMethods.IsGet(context.Request.Method))
            {
                return next(context);
            }

            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        });
    }
}
