using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Flotilla.Bench.ApiServer;

/// <summary>
/// Watch fan-out: N watches on one namespace, then writes one at a time; each delivery's delay is measured from
/// just before the write was sent to the moment that watcher read the event.
/// </summary>
public sealed class WatchFanout(HttpClient http, Uri address)
{
    public async Task<LatencyRecorder> RunAsync(int watchers, int events, CancellationToken cancellationToken)
    {
        const string ns = "fanout";
        await http.PostAsync("/api/v1/namespaces", ApiServerBenchmark.Json($$$"""{"metadata":{"name":"{{{ns}}}"}}"""), cancellationToken);
        var created = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiServerBenchmark.Json("""{"metadata":{"name":"start"}}"""), cancellationToken);
        using var start = JsonDocument.Parse(await created.Content.ReadAsStringAsync(cancellationToken));
        var rv = start.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();

        var sent = new ConcurrentDictionary<string, long>();
        var latency = new LatencyRecorder();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = watchers + 16 };
        using var watchClient = new HttpClient(handler) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        var ready = 0;
        var tasks = Enumerable.Range(0, watchers).Select(_ => Task.Run(async () =>
        {
            using var response = await watchClient.GetAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            Interlocked.Increment(ref ready);
            var seen = 0;
            while (seen < events && await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var now = Stopwatch.GetTimestamp();
                using var doc = JsonDocument.Parse(line);
                var name = doc.RootElement.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString()!;
                if (sent.TryGetValue(name, out var at))
                {
                    latency.Add(Stopwatch.GetElapsedTime(at, now));
                    seen++;
                }
            }
        })).ToList();

        while (Volatile.Read(ref ready) < watchers)
        {
            await Task.Delay(50, cancellationToken);
        }

        Console.WriteLine($"fan-out: {watchers} watches open");
        for (var i = 0; i < events; i++)
        {
            var name = $"e-{i}";
            sent[name] = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ApiServerBenchmark.Json($$$"""{"metadata":{"name":"{{{name}}}"}}"""), cancellationToken);
            response.EnsureSuccessStatusCode();
            await Task.Delay(20, cancellationToken);
        }

        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(60), cancellationToken)) != all)
        {
            Console.WriteLine($"fan-out: not every watcher saw every write within 60 s ({latency.Count} of {watchers * events} deliveries)");
        }

        await stop.CancelAsync();
        return latency;
    }
}
