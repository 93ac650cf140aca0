using System.Buffers;
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
    public static Task WriteObjectAsync(HttpContext context, ResourceStorage storage, IKubernetesObject<V1ObjectMeta> obj, int statusCode = StatusCodes.Status200OK, byte[]? json = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        if (MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            return ApiResponse.WriteJsonAsync(context, statusCode, TableWriter.Write(storage.Resource, [obj], revision: null, continueToken: null, Now(context)), MediaTypes.Table);
        }

        return ApiResponse.WriteJsonAsync(context, statusCode, json ?? storage.Strategy.Encode(obj));
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

    /// <summary>
    /// A JSON list of already-encoded items, copied straight into the response pipe as it goes (a 100k-item list is
    /// never assembled in memory).
    /// </summary>
    public static async Task WriteRawListAsync(HttpContext context, ResourceStorage storage, IEnumerable<byte[]> items, long revision, string? continueToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(items);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = MediaTypes.Json;
        var head = new Dictionary<string, object>
        {
            ["kind"] = storage.Resource.ListKind,
            ["apiVersion"] = storage.Resource.ApiVersion,
            ["metadata"] = continueToken is null
                ? new Dictionary<string, string> { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                : new Dictionary<string, string> { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture), ["continue"] = continueToken },
        };
        var prefix = JsonSerializer.SerializeToUtf8Bytes(head);
        var pipe = context.Response.BodyWriter;
        pipe.Write(prefix.AsSpan(0, prefix.Length - 1));
        pipe.Write(",\"items\":["u8);
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                pipe.Write(","u8);
            }

            first = false;
            pipe.Write(item);
            if (pipe.UnflushedBytes > 256 * 1024)
            {
                await pipe.FlushAsync(context.RequestAborted);
            }
        }

        pipe.Write("]}"u8);
        await pipe.FlushAsync(context.RequestAborted);
    }

    /// <summary>The clock tables measure ages with (the host's TimeProvider).</summary>
    public static DateTimeOffset Now(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
    }
}
