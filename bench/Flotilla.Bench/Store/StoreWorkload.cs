using System.Diagnostics;
using Flotilla.Storage;

namespace Flotilla.Bench.Store;

/// <summary>The same workload for every backend: concurrent durable creates, a 10k-key list, a watch replay.</summary>
public sealed class StoreWorkload(int writers, int ops, int valueBytes, int listKeys)
{
    public async Task<StoreFigures> RunAsync(string name, IStore store, CancellationToken cancellationToken)
    {
        var value = new byte[valueBytes];
        Random.Shared.NextBytes(value);

        // Warm-up: connections, JIT, prepared statements.
        for (var i = 0; i < 200; i++)
        {
            await store.CreateAsync($"/bench/warmup/{i}", value, cancellationToken: cancellationToken);
        }

        var start = await store.GetCurrentRevisionAsync(cancellationToken);
        var latencies = new double[ops];
        var next = -1;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < ops; i = Interlocked.Increment(ref next))
            {
                var t0 = Stopwatch.GetTimestamp();
                await store.CreateAsync($"/bench/writes/{i:D8}", value, cancellationToken: cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }, cancellationToken)));
        var writeSeconds = wall.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: {ops} durable writes by {writers} writers in {writeSeconds:F2} s");

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = w; i < listKeys; i += writers)
            {
                await store.CreateAsync($"/bench/list/{i:D8}", value, cancellationToken: cancellationToken);
            }
        }, cancellationToken)));
        var listMs = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var listed = await store.ListAsync("/bench/list/", ListOptions.All, cancellationToken);
            listMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (listed.Items.Count != listKeys)
            {
                throw new InvalidOperationException($"{name}: listed {listed.Items.Count} keys, expected {listKeys}");
            }
        }

        Console.WriteLine($"{name}: listed {listKeys} keys 5 times");

        var watched = 0;
        var watch = Stopwatch.StartNew();
        await foreach (var _ in store.WatchAsync("/bench/writes/", start, cancellationToken))
        {
            if (++watched == ops)
            {
                break;
            }
        }

        var watchSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{name}: replayed {ops} watch events in {watchSeconds:F2} s");

        Array.Sort(latencies);
        listMs.Sort();
        return new StoreFigures(
            ops / writeSeconds,
            Report.Percentile(latencies, 0.50),
            Report.Percentile(latencies, 0.99),
            listMs[listMs.Count / 2],
            ops / watchSeconds);
    }
}
