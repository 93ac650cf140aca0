using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Handlers;

/// <summary>GET of one object and LIST of a collection.</summary>
public static class ReadHandlers
{
    public static async Task GetAsync(HttpContext context, ResourceStorage storage, RequestInfo info)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        var stored = await storage.GetAsync(info.Namespace, info.Name!, context.RequestAborted);
        await ObjectWriter.WriteObjectAsync(context, storage, stored.Object);
    }

    public static async Task ListAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var filter = Selection.FromQuery(storage.Resource, query).AsFilter();
        var request = new ListRequest(
            Filter: filter,
            Limit: Math.Max(0, query.Int64("limit") ?? 0),
            Continue: query["continue"],
            ResourceVersion: query["resourceVersion"],
            ResourceVersionMatch: query["resourceVersionMatch"]);
        if (filter is null && !MediaTypes.WantsTable(context.Request.Headers.Accept))
        {
            var (items, revision, continueToken) = await storage.ListRawAsync(info.Namespace, request, context.RequestAborted);
            await ObjectWriter.WriteRawListAsync(context, storage, items, revision, continueToken);
            return;
        }

        var page = await storage.ListAsync(info.Namespace, request, context.RequestAborted);
        await ObjectWriter.WriteListAsync(context, storage, page);
    }
}
