using Flotilla.Api.Errors;
using Flotilla.Storage;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// A list read from the store at one revision (pinned by the continue token across pages), selecting as it goes and
/// reading further pages until the limit is filled, as upstream's etcd3 store does; store errors become 410 / 504.
/// </summary>
internal static class StorePaging
{
    public static async Task<(IReadOnlyList<T> Items, long Revision, string? Continue)> ListAsync<T>(IStore store, string prefix, ListRequest request, Func<KeyValue, T?> select, CancellationToken cancellationToken)
        where T : class
    {
        long revision = 0;
        string? start = null;
        if (!string.IsNullOrEmpty(request.Continue))
        {
            var (rv, relative) = ContinueToken.Decode(request.Continue);
            revision = rv;
            start = prefix + relative;
        }
        else if (request.ResourceVersionMatch == "Exact")
        {
            revision = ResourceStorage.ParseResourceVersion(request.ResourceVersion);
        }

        var items = new List<T>();
        string? next = null;
        try
        {
            while (true)
            {
                var page = await store.ListAsync(prefix, new ListOptions(revision, (int)Math.Min(request.Limit, 10_000), start), cancellationToken);
                revision = page.Revision;
                for (var i = 0; i < page.Items.Count; i++)
                {
                    if (select(page.Items[i]) is not { } item)
                    {
                        continue;
                    }

                    items.Add(item);
                    if (request.Limit > 0 && items.Count == request.Limit && (i < page.Items.Count - 1 || page.HasMore))
                    {
                        next = page.Items[i].Key + "\0";
                        break;
                    }
                }

                if (next is not null || !page.HasMore)
                {
                    break;
                }

                start = page.NextKey;
            }
        }
        catch (StoreException e) when (e.Error == StoreError.Compacted && !string.IsNullOrEmpty(request.Continue))
        {
            throw StatusException.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        }
        catch (StoreException e) when (e.Error == StoreError.Compacted)
        {
            throw StatusException.Expired($"too old resource version: {revision}");
        }
        catch (StoreException e) when (e.Error == StoreError.FutureRevision)
        {
            throw StatusException.TooLargeResourceVersion(revision, await store.GetCurrentRevisionAsync(cancellationToken));
        }

        return (items, revision, next is null ? null : ContinueToken.Encode(revision, next[prefix.Length..]));
    }
}
