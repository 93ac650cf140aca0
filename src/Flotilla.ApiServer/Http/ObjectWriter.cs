using System.Text.Json;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Http;

/// <summary>Writes objects and lists in the form the request asked for (JSON, or a Table for kubectl get).</summary>
public static class ObjectWriter
{
    public static Task WriteObjectAsync(HttpContext context, ResourceStorage storage, IKubernetesObject<V1ObjectMeta> obj, int statusCode = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        if (MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            return ApiResponse.WriteJsonAsync(context, statusCode, TableWriter.Write(storage.Resource, [obj], revision: null, continueToken: null, Now(context)), MediaTypes.Table);
        }

        return ApiResponse.WriteJsonAsync(context, statusCode, storage.Strategy.Encode(obj));
    }

    public static Task WriteListAsync(HttpContext context, ResourceStorage storage, ListPage page)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(page);
        if (MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            return ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, TableWriter.Write(storage.Resource, page.Items, page.Revision, page.Continue, Now(context)), MediaTypes.Table);
        }

        return WriteRawListAsync(context, storage, page.Items.Select(storage.Strategy.Encode), page.Revision, page.Continue);
    }

    /// <summary>A JSON list of already-encoded items, written as it goes (a 100k-item list is never built in memory twice).</summary>
    public static async Task WriteRawListAsync(HttpContext context, ResourceStorage storage, IEnumerable<byte[]> items, long revision, string? continueToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(items);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = MediaTypes.Json;
        var body = context.Response.Body;
        await using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("kind", storage.Resource.ListKind);
            w.WriteString("apiVersion", storage.Resource.ApiVersion);
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (continueToken is not null)
            {
                w.WriteString("continue", continueToken);
            }

            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var item in items)
            {
                w.WriteRawValue(item, skipInputValidation: true);
                if (w.BytesPending > 64 * 1024)
                {
                    await w.FlushAsync(context.RequestAborted);
                }
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    /// <summary>The clock tables measure ages with (the host's TimeProvider).</summary>
    public static DateTimeOffset Now(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
    }
}
