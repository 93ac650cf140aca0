using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Handlers;

/// <summary>DELETE of one object (200 when gone, 202 when marked for graceful or finalized deletion) or a collection.</summary>
public static class DeleteHandlers
{
    public static async Task DeleteAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var options = await ReadOptionsAsync(context, query);
        var result = await storage.DeleteAsync(info.Namespace, info.Name!, options, query.DryRun || options.DryRun is { Count: > 0 }, RequestAdmission.For(context, info), context.RequestAborted);
        await ObjectWriter.WriteObjectAsync(context, storage, result.Object, result.Deleted ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    public static async Task DeleteCollectionAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var options = await ReadOptionsAsync(context, query);
        var page = await storage.ListAsync(info.Namespace, new ListRequest(Selection.FromQuery(storage.Resource, query).AsFilter()), context.RequestAborted);
        var deleted = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var item in page.Items)
        {
            try
            {
                deleted.Add((await storage.DeleteAsync(item.Metadata.NamespaceProperty, item.Metadata.Name, options, query.DryRun, RequestAdmission.For(context, info), context.RequestAborted)).Object);
            }
            catch (StatusException e) when (e.Code == StatusCodes.Status404NotFound)
            {
                // Deleted meanwhile by someone else: the collection is emptied all the same.
            }
        }

        await ObjectWriter.WriteListAsync(context, storage, new ListPage(deleted, page.Revision, null));
    }

    /// <summary>DeleteOptions from the body (kubectl sends one) with query parameters taking precedence, as upstream.</summary>
    private static async Task<V1DeleteOptions> ReadOptionsAsync(HttpContext context, QueryOptions query)
    {
        var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
        V1DeleteOptions options;
        try
        {
            options = body.Length == 0 ? new V1DeleteOptions() : KubernetesJson.Deserialize<V1DeleteOptions>(System.Text.Encoding.UTF8.GetString(RequestBody.ToJson(body, context.Request.ContentType))) ?? new V1DeleteOptions();
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"error decoding DeleteOptions: {e.Message}");
        }

        options.GracePeriodSeconds = query.Int64("gracePeriodSeconds") ?? options.GracePeriodSeconds;
        options.PropagationPolicy = query["propagationPolicy"] ?? options.PropagationPolicy;
        if (options.PropagationPolicy is not (null or "Orphan" or "Background" or "Foreground"))
        {
            throw StatusException.Invalid("", "DeleteOptions", string.Empty, [Api.Validation.FieldError.NotSupported("propagationPolicy", options.PropagationPolicy, ["Foreground", "Background", "Orphan", "nil"])]);
        }

        return options;
    }
}
