using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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
        var rv = query["resourceVersion"];
        if (request.Limit == 0 && string.IsNullOrEmpty(request.Continue) && rv is null or "" or "0" && request.ResourceVersionMatch is null or "" or "NotOlderThan")
        {
            // Served from the watch cache; without a resourceVersion only once the cache has caught up (consistent read).
            var caches = context.RequestServices.GetRequiredService<CacheSet>();
            if (caches.For(storage.Resource) is { } cache && (rv == "0" || await caches.WaitFreshAsync(context.RequestAborted)))
            {
                var (objects, revision) = cache.List(info.Namespace);
                if (filter is null && !MediaTypes.WantsTable(context.Request.Headers.Accept))
                {
                    await ObjectWriter.WriteRawListAsync(context, storage, objects.Select(o => o.Json), revision, null);
                    return;
                }

                await ObjectWriter.WriteListAsync(context, storage, new ListPage([.. objects.Select(o => o.Object).Where(o => filter is null || filter(o))], revision, null));
                return;
            }
        }

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
