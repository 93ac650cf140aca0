using System.Globalization;
using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Http;
using System.Runtime.CompilerServices;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Flotilla.Storage;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

        // A stopping server ends its watches, as kube-apiserver does, so clients resume elsewhere and the stop is quick.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        stop.CancelAfter(timeout);
        var writer = new EventWriter(context, storage, table);

        var caches = context.RequestServices.GetRequiredService<CacheSet>();
        var cache = caches.For(storage.Resource);
        IReadOnlyList<ObjectChange> initial = [];
        var from = rv;
        if (rv == 0 && cache is not null)
        {
            // No resourceVersion: the current state first ("0": any state; unset: a consistent one).
            if (query["resourceVersion"] is null or "")
            {
                await caches.WaitFreshAsync(stop.Token);
            }

            var (objects, revision) = cache.List(info.Namespace);
            initial = [.. objects
                .Where(o => selection.SelectsEverything || selection.Matches(o.Object))
                .Select(o => new ObjectChange(ChangeType.Added, () => o.Object, null, o.Revision, o.Json))];
            from = revision;
        }
        else if (rv == 0)
        {
            var page = await storage.ListAsync(info.Namespace, new ListRequest(selection.AsFilter()), stop.Token);
            initial = [.. page.Items.Select(o => new ObjectChange(ChangeType.Added, () => o, null, page.Revision))];
            from = page.Revision;
        }

        // A resourceVersion the cache has not applied: usually another server's write, applied in a moment. One the
        // store itself has not reached can only come from before an etcd restore (revisions start low again), and
        // would hide every change up to it. Upstream's watch waits for it; Flotilla ends that watch with upstream's
        // ResourceVersionTooLarge error (504), on which clients list again.
        StatusException? tooLarge = null;
        if (rv > 0 && !await caches.WaitForAsync(rv, stop.Token)
            && await context.RequestServices.GetRequiredService<ResourceRegistry>().Store.GetCurrentRevisionAsync(stop.Token) is var current && rv > current)
        {
            tooLarge = StatusException.TooLargeResourceVersion(rv, current);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = table ? MediaTypes.Table : MediaTypes.Json;
        try
        {
            await context.Response.StartAsync(stop.Token);
            if (tooLarge is not null)
            {
                await writer.WriteErrorAsync(tooLarge, stop.Token);
                return;
            }

            foreach (var change in initial)
            {
                await writer.WriteAsync("ADDED", change, stop.Token);
            }

            await writer.FlushAsync(stop.Token);
            await StreamAsync(Changes(cache, storage, info.Namespace, from, stop.Token), selection, from, bookmarks, writer, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Timed out or the client left: the response just ends, as upstream's.
        }
        catch (StatusException e) when (e.Code == StatusCodes.Status410Gone)
        {
            await writer.WriteErrorAsync(e, context.RequestAborted);
        }
        catch (StoreException e) when (e.Error == StoreError.Compacted)
        {
            await writer.WriteErrorAsync(StatusException.Expired($"too old resource version: {from} ({e.Message})"), context.RequestAborted);
        }
    }

    /// <summary>
    /// Changes from the watch cache; a start older than the cache keeps is read from the store's history instead
    /// (which answers 410 itself when that is compacted too).
    /// </summary>
    private static async IAsyncEnumerable<ObjectChange> Changes(WatchCache? cache, ResourceStorage storage, string? ns, long from, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cached = cache?.WatchAsync(ns, from, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var first = false;
        try
        {
            first = cached is not null && await cached.MoveNextAsync();
        }
        catch (StatusException e) when (e.Code == StatusCodes.Status410Gone)
        {
            await cached!.DisposeAsync();
            cached = null;
        }

        if (cached is null)
        {
            await foreach (var change in storage.WatchAsync(ns, from, cancellationToken))
            {
                yield return change;
            }

            yield break;
        }

        await using (cached)
        {
            for (var more = first; more; more = await cached.MoveNextAsync())
            {
                var c = cached.Current;
                var previous = c.Previous;
                yield return new ObjectChange(c.Type, () => c.Object.Object, previous is null ? null : () => previous.Object, c.Revision, c.Object.Json);
            }
        }
    }

    private static async Task StreamAsync(IAsyncEnumerable<ObjectChange> source, Selection selection, long from, bool bookmarks, EventWriter writer, CancellationToken cancellationToken)
    {
        var last = from;
        await using var changes = source.GetAsyncEnumerator(cancellationToken);
        var next = changes.MoveNextAsync().AsTask();

        // One bookmark timer at a time, kept across events: a timer per event would leave thousands pending (each
        // for a minute) in the process-wide timer queue when many watchers see many events.
        Task? tick = null;
        try
        {
            while (true)
            {
                if (bookmarks)
                {
                    tick ??= Task.Delay(BookmarkInterval, cancellationToken);
                    if (await Task.WhenAny(next, tick) == tick)
                    {
                        tick = null;
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

                // Without selectors nothing needs the decoded objects: the cached JSON goes out as it is.
                var everything = selection.SelectsEverything;
                var now = change.Type != ChangeType.Deleted && (everything || selection.Matches(change.Object));
                var before = change.HasPrevious && (everything || selection.Matches(change.Previous!));
                var type = (change.Type, before, now) switch
                {
                    (ChangeType.Deleted, _, _) when everything || selection.Matches(change.Object) => "DELETED",
                    (ChangeType.Added, _, true) => "ADDED",
                    (ChangeType.Modified, true, true) => "MODIFIED",
                    (ChangeType.Modified, false, true) => "ADDED",
                    (ChangeType.Modified, true, false) => "DELETED",
                    _ => null,
                };
                if (type is not null)
                {
                    await writer.WriteAsync(type, change, cancellationToken);
                    await writer.FlushAsync(cancellationToken);
                }

                next = changes.MoveNextAsync().AsTask();
            }
        }
        finally
        {
            // The enumerator cannot be disposed while a MoveNext is pending (a bookmark tick or a stop left it waiting).
            await ((Task)next).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

        public Task WriteAsync(string type, ObjectChange change, CancellationToken cancellationToken) =>
            !table && change.Json is { } json ? WriteEventAsync(type, json, cancellationToken) : WriteAsync(type, change.Object, cancellationToken);

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
