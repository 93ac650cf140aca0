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

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("kind", storage.Resource.ListKind);
            w.WriteString("apiVersion", storage.Resource.ApiVersion);
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", page.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (page.Continue is not null)
            {
                w.WriteString("continue", page.Continue);
            }

            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                w.WriteRawValue(storage.Strategy.Encode(item), skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return ApiResponse.WriteJsonAsync(context, StatusCodes.Status200OK, buffer.ToArray());
    }

    /// <summary>The clock tables measure ages with (the host's TimeProvider).</summary>
    public static DateTimeOffset Now(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
    }
}
