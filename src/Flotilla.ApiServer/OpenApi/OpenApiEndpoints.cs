using System.Globalization;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// <c>/openapi/v3</c> (the index) and <c>/openapi/v3/&lt;group-version&gt;</c> as kube-openapi's handler3 serves them:
/// ETags, a 301 to the current <c>?hash=</c> for a stale link and <c>Cache-Control: public, immutable</c> for a current
/// one. <c>/openapi/v2</c> is a 404: kubectl reads v2 only as protobuf and gives up on anything else, but falls back
/// cleanly from a missing v2.
/// </summary>
public static class OpenApiEndpoints
{
    private static readonly StatusException NotFound =
        new(StatusCodes.Status404NotFound, "NotFound", "the server could not find the requested resource", new StatusDetails());

    public static IEndpointRouteBuilder MapOpenApiEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Generated on first use (a second or so of reflection and XML reading), then served from memory.
        var documents = new Lazy<OpenApiDocumentSet>(() =>
            OpenApiDocumentSet.Build(app.ServiceProvider.GetRequiredService<ResourceRegistry>().Catalog, ModelDocs.Load()));
        app.MapGet("/openapi/v3", context => ServeIndexAsync(context, documents.Value));
        app.MapGet("/openapi/v3/{**key}", context => ServeDocumentAsync(context, documents.Value));
        app.Map("/openapi/v2", context => ApiResponse.WriteStatusAsync(context, NotFound));
        return app;
    }

    private static Task ServeIndexAsync(HttpContext context, OpenApiDocumentSet documents)
    {
        context.Response.Headers.ETag = Quote(documents.IndexHash);
        return NotModified(context, documents.IndexHash)
            ? Task.CompletedTask
            : ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, documents.Index);
    }

    private static Task ServeDocumentAsync(HttpContext context, OpenApiDocumentSet documents)
    {
        var key = (string?)context.Request.RouteValues["key"] ?? string.Empty;
        if (documents.Find(key) is not { } document)
        {
            return ApiResponse.WriteStatusAsync(context, NotFound);
        }

        context.Response.Headers.Vary = "Accept";
        if (!AcceptsJson(context.Request.Headers.Accept.ToString()))
        {
            // Upstream would also offer the protobuf encoding; JSON is what this server has.
            context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
            return Task.CompletedTask;
        }

        context.Response.Headers.ETag = Quote(document.Hash);
        if (context.Request.Query["hash"].ToString() is { Length: > 0 } hash)
        {
            if (hash != document.Hash)
            {
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                context.Response.Headers.Location = document.ServerRelativeUrl;
                return Task.CompletedTask;
            }

            // The hash names this content for good: clients may cache it without asking again.
            var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            context.Response.Headers.CacheControl = "public, immutable";
            context.Response.Headers.Expires = now.AddYears(1).ToString("R", CultureInfo.InvariantCulture);
        }

        return NotModified(context, document.Hash)
            ? Task.CompletedTask
            : ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, document.Json);
    }

    private static bool NotModified(HttpContext context, string hash)
    {
        if (!context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == Quote(hash) || tag.Trim() == "*")))
        {
            return false;
        }

        context.Response.StatusCode = StatusCodes.Status304NotModified;
        return true;
    }

    private static bool AcceptsJson(string accept) =>
        accept.Length == 0 || accept.Split(',').Select(MediaTypes.Essence).Any(t => t is "application/json" or "application/*" or "*/*");

    private static string Quote(string hash) => $"\"{hash}\"";
}
