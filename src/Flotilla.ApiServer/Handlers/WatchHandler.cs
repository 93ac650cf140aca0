using System.Globalization;
using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Handlers;

/// <summary>
/// A watch: newline-delimited JSON events (<c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c>,
/// <c>ERROR</c>) over a chunked response. Without a resourceVersion (or with "0") it starts with ADDED events for the
/// current objects. Label and field selectors turn objects moving in or out of the selection into ADDED / DELETED,
/// as the watch cache does upstream.
/// </summary>
public static class WatchHandler
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(30);

    public static async Task WatchAsync(HttpContext context, ResourceStorage storage, RequestInfo info, QueryOptions query)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(query);
        var selection = Selection.FromQuery(storage.Resource, query);
        if (info.Name is not null)
        {
            // GET .../pods/x?watch=true watches the one object, as a metadata.name field selector.
            var byName = new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
            {
                ["fieldSelector"] = string.Join(',', new[] { query["fieldSelector"], $"metadata.name={info.Name}" }.Where(s => !string.IsNullOrEmpty(s))),
                ["labelSelector"] = query["labelSelector"],
            });
            selection = Selection.FromQuery(storage.Resource, new QueryOptions(byName));
        }

        var timeout = query.Int64("timeoutSeconds") is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
        var bookmarks = query.Flag("allowWatchBookmarks");
        var rv = ResourceStorage.ParseResourceVersion(query["resourceVersion"]);
        var table = MediaTypes.WantsTable(context.Request.Headers.Accept);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        stop.CancelAfter(timeout);
        var writer = new EventWriter(context, storage, table);

        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> initial = [];
        var from = rv;
        if (rv == 0)
        {
            var page = await storage.ListAsync(info.Namespace, new ListRequest(selection.AsFilter()), stop.Token);
            initial = page.Items;
            from = page.Revision;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = table ? MediaTypes.Table : MediaTypes.Json;
        await context.Response.StartAsync(stop.Token);
        foreach (var obj in initial)
        {
            await writer.WriteAsync("ADDED", obj, stop.Token);
        }

        await writer.FlushAsync(stop.Token);
        try
        {
            await StreamAsync(storage, info, selection, from, bookmarks, writer, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Timed out or the client left: the response just ends, as upstream's.
        }
        catch (StoreException e) when (e.Error == StoreError.Compacted)
        {
            await writer.WriteErrorAsync(StatusException.Expired($"too old resource version: {from} ({e.Message})"), context.RequestAborted);
        }
    }

    private static async Task StreamAsync(ResourceStorage storage, RequestInfo info, Selection selection, long from, bool bookmarks, EventWriter writer, CancellationToken cancellationToken)
    {
        var last = from;
        await using var changes = storage.WatchAsync(info.Namespace, from, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var next = changes.MoveNextAsync().AsTask();
        while (true)
        {
            if (bookmarks)
            {
                var tick = Task.Delay(BookmarkInterval, cancellationToken);
                if (await Task.WhenAny(next, tick) == tick)
                {
                    await writer.WriteBookmarkAsync(last, cancellationToken);
                    continue;
                }
            }

            if (!await next)
            {
                return;
            }

            var change = changes.Current;
            last = change.Revision;
            var now = change.Type != ChangeType.Deleted && selection.Matches(change.Object);
            var before = change.Previous is not null && selection.Matches(change.Previous);
            var type = (change.Type, before, now) switch
            {
                (ChangeType.Deleted, _, _) when selection.Matches(change.Object) => "DELETED",
                (ChangeType.Added, _, true) => "ADDED",
                (ChangeType.Modified, true, true) => "MODIFIED",
                (ChangeType.Modified, false, true) => "ADDED",
                (ChangeType.Modified, true, false) => "DELETED",
                _ => null,
            };
            if (type is not null)
            {
                await writer.WriteAsync(type, change.Object, cancellationToken);
                await writer.FlushAsync(cancellationToken);
            }

            next = changes.MoveNextAsync().AsTask();
        }
    }

    private sealed class EventWriter(HttpContext context, ResourceStorage storage, bool table)
    {
        private static readonly byte[] Newline = "\n"u8.ToArray();

        public async Task WriteAsync(string type, IKubernetesObject<V1ObjectMeta> obj, CancellationToken cancellationToken)
        {
            var body = table
                ? TableWriter.Write(storage.Resource, [obj], revision: null, continueToken: null, ObjectWriter.Now(context))
                : storage.Strategy.Encode(obj);
            await WriteEventAsync(type, body, cancellationToken);
        }

        public Task WriteBookmarkAsync(long revision, CancellationToken cancellationToken)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["kind"] = storage.Resource.Kind,
                ["apiVersion"] = storage.Resource.ApiVersion,
                ["metadata"] = new Dictionary<string, string> { ["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture) },
            });
            return WriteEventAsync("BOOKMARK", body, cancellationToken);
        }

        public Task WriteErrorAsync(StatusException error, CancellationToken cancellationToken) =>
            WriteEventAsync("ERROR", StatusWriter.Failure(error), cancellationToken);

        public Task FlushAsync(CancellationToken cancellationToken) => context.Response.Body.FlushAsync(cancellationToken);

        private async Task WriteEventAsync(string type, byte[] body, CancellationToken cancellationToken)
        {
            var stream = context.Response.Body;
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"), cancellationToken);
            await stream.WriteAsync(body, cancellationToken);
            await stream.WriteAsync("}"u8.ToArray(), cancellationToken);
            await stream.WriteAsync(Newline, cancellationToken);
        }
    }
}
