using System.Diagnostics;
using System.Text.Json;

namespace Flotilla.Bench.ApiServer;

/// <summary>Pod requests from <paramref name="clients"/> concurrent tasks over one connection pool, each checked for success.</summary>
public sealed class PodWorkload(HttpClient http, int clients)
{
    // The account named and no token volume, so an update's body is the stored spec but for the image (admission
    // fills both in at create, and a pod's spec cannot change after).
    public static string Pod(string ns, string name, string image = "busybox:1.35") =>
        $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{"app":"bench"}},"spec":{"serviceAccountName":"default","automountServiceAccountToken":false,"containers":[{"name":"main","image":"{{{image}}}","command":["sleep","3600"]}]}}""";

    public async Task<PhaseResult> CreateAsync(string ns, int count, CancellationToken cancellationToken, int firstIndex = 0)
    {
        await http.PostAsync("/api/v1/namespaces", ApiServerBenchmark.Json($$$"""{"metadata":{"name":"{{{ns}}}"}}"""), cancellationToken);
        return await RunAsync(count, async i =>
        {
            using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", ApiServerBenchmark.Json(Pod(ns, $"pod-{firstIndex + i}")), cancellationToken);
            Check(response, "create");
        });
    }

    public Task<PhaseResult> GetAsync(string ns, int count, CancellationToken cancellationToken) =>
        RunAsync(count, async i =>
        {
            using var response = await http.GetAsync($"/api/v1/namespaces/{ns}/pods/pod-{i}", cancellationToken);
            Check(response, "get");
        });

    /// <summary>Unconditional updates (no resourceVersion in the body), changing the image each time.</summary>
    public Task<PhaseResult> UpdateAsync(string ns, int count, CancellationToken cancellationToken) =>
        RunAsync(count, async i =>
        {
            using var response = await http.PutAsync($"/api/v1/namespaces/{ns}/pods/pod-{i}", ApiServerBenchmark.Json(Pod(ns, $"pod-{i}", "busybox:1.36")), cancellationToken);
            Check(response, "update");
        });

    /// <summary>Times a LIST until its last byte has arrived (what the server does; the client only drains it).</summary>
    public async Task<(TimeSpan Elapsed, long Bytes)> TimeListAsync(string path, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024 * 1024];
        var t0 = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Check(response, "list");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        long bytes = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            bytes += read;
        }

        return (Stopwatch.GetElapsedTime(t0), bytes);
    }

    /// <summary>The number of items a LIST returns, parsed (untimed, to check what was timed).</summary>
    public async Task<int> CountListAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        Check(response, "list");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        return doc.RootElement.GetProperty("items").GetArrayLength();
    }

    private async Task<PhaseResult> RunAsync(int count, Func<int, Task> request)
    {
        var latency = new LatencyRecorder();
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var t0 = Stopwatch.GetTimestamp();
                await request(i);
                latency.Add(Stopwatch.GetElapsedTime(t0));
            }
        })));
        return new PhaseResult(count, wall.Elapsed.TotalSeconds, latency);
    }

    private static void Check(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} failed: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }
}
