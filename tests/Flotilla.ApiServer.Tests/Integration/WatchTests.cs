using System.Net;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Tests.Integration;

public sealed class WatchTests(ApiServerFixture server) : IClassFixture<ApiServerFixture>
{
    [Fact]
    public async Task Watch_FromResourceVersion_StreamsChangesInOrder()
    {
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"watch-a"}}""");
        var (_, created) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-a/configmaps", """{"metadata":{"name":"w1"},"data":{"v":"1"}}""");
        var rv = (string?)created!["metadata"]!["resourceVersion"];

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var events = (await OpenAsync($"/api/v1/namespaces/watch-a/configmaps?watch=true&resourceVersion={rv}", cts.Token)).GetAsyncEnumerator(cts.Token);

        var current = created.DeepClone();
        current["data"]!["v"] = "2";
        await server.SendAsync(HttpMethod.Put, "/api/v1/namespaces/watch-a/configmaps/w1", current.ToJsonString());
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-a/configmaps", """{"metadata":{"name":"w2"}}""");
        await server.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/watch-a/configmaps/w1");

        Assert.Equal(("MODIFIED", "w1"), await NextAsync(events));
        Assert.Equal(("ADDED", "w2"), await NextAsync(events));
        Assert.Equal(("DELETED", "w1"), await NextAsync(events));
    }

    [Fact]
    public async Task Watch_WithoutResourceVersion_StartsWithCurrentObjects()
    {
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"watch-b"}}""");
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-b/configmaps", """{"metadata":{"name":"existing"}}""");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var events = (await OpenAsync("/api/v1/namespaces/watch-b/configmaps?watch=1", cts.Token)).GetAsyncEnumerator(cts.Token);

        Assert.Equal(("ADDED", "existing"), await NextAsync(events));
    }

    [Fact]
    public async Task Watch_LabelSelector_ObjectLeavingSelectionIsDeleted()
    {
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"watch-c"}}""");
        var (_, created) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-c/configmaps", """{"metadata":{"name":"sel","labels":{"app":"web"}}}""");
        var rv = (string?)created!["metadata"]!["resourceVersion"];

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var events = (await OpenAsync($"/api/v1/namespaces/watch-c/configmaps?watch=true&labelSelector=app%3Dweb&resourceVersion={rv}", cts.Token)).GetAsyncEnumerator(cts.Token);

        var relabelled = created.DeepClone();
        relabelled["metadata"]!["labels"]!["app"] = "db";
        await server.SendAsync(HttpMethod.Put, "/api/v1/namespaces/watch-c/configmaps/sel", relabelled.ToJsonString());
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-c/configmaps", """{"metadata":{"name":"other","labels":{"app":"web"}}}""");

        Assert.Equal(("DELETED", "sel"), await NextAsync(events));
        Assert.Equal(("ADDED", "other"), await NextAsync(events));
    }

    [Fact]
    public async Task Watch_FromAResourceVersionTheStoreHasNotReached_EndsWithResourceVersionTooLarge_AfterWaitingForIt()
    {
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", """{"metadata":{"name":"watch-d"}}""");
        var (_, created) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-d/configmaps", """{"metadata":{"name":"now"}}""");
        var current = long.Parse((string)created!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);

        // A client's resourceVersion from before a restore: far ahead of the store.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var events = (await OpenAsync($"/api/v1/namespaces/watch-d/configmaps?watch=true&resourceVersion={current + 1_000_000}", cts.Token)).GetAsyncEnumerator(cts.Token);
        Assert.True(await events.MoveNextAsync());
        var error = events.Current;

        Assert.Equal("ERROR", (string?)error["type"]);
        Assert.Equal(504, (int?)error["object"]!["code"]);
        Assert.Equal("Timeout", (string?)error["object"]!["reason"]);
        Assert.Equal("ResourceVersionTooLarge", (string?)error["object"]!["details"]!["causes"]![0]!["reason"]);
        Assert.StartsWith($"Timeout: Too large resource version: {current + 1_000_000}, current: ", (string?)error["object"]!["message"], StringComparison.Ordinal);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.9), $"answered after {clock.Elapsed}, without waiting for the revision");
        Assert.False(await events.MoveNextAsync());

        // One the store reaches meanwhile (another server's write, applied a moment later) streams as usual.
        var opening = OpenAsync($"/api/v1/namespaces/watch-d/configmaps?watch=true&resourceVersion={current + 1}", cts.Token);
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-d/configmaps", """{"metadata":{"name":"next-1"}}""");
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/watch-d/configmaps", """{"metadata":{"name":"next-2"}}""");
        await using var soon = (await opening).GetAsyncEnumerator(cts.Token);
        var first = await NextAsync(soon);

        // next-1 is the change at current + 1 unless another write came between: then the watch shows it too.
        Assert.Equal(("ADDED", "next-2"), first.Item2 == "next-1" ? await NextAsync(soon) : first);
    }

    [Fact]
    public async Task List_BadLabelSelector_IsBadRequest()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Get, "/api/v1/configmaps?labelSelector=a%20in%20(b");
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("unable to parse requirement", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_UnsupportedFieldSelector_IsBadRequest()
    {
        var (code, body) = await server.SendAsync(HttpMethod.Get, "/api/v1/pods?fieldSelector=spec.bogus%3Dx");
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("field label not supported: spec.bogus", (string?)body!["message"]);
    }

    private async Task<IAsyncEnumerable<JsonNode>> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var response = await server.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        return Lines(reader, response, cancellationToken);
    }

    private static async IAsyncEnumerable<JsonNode> Lines(StreamReader reader, HttpResponseMessage response, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (response)
        using (reader)
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                yield return JsonNode.Parse(line)!;
            }
        }
    }

    private static async Task<(string?, string?)> NextAsync(IAsyncEnumerator<JsonNode> events)
    {
        Assert.True(await events.MoveNextAsync());
        return ((string?)events.Current["type"], (string?)events.Current["object"]!["metadata"]!["name"]);
    }
}
