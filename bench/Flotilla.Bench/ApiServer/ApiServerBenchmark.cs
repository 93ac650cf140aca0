using System.CommandLine;
using System.Text;

namespace Flotilla.Bench.ApiServer;

/// <summary>
/// <c>apiserver</c>: the API server in this process over a SQLite store in a temp dir, driven through HTTP on
/// 127.0.0.1: pod creates, gets and updates at 32 clients, a LIST of every pod, and watch fan-out delay.
/// </summary>
public static class ApiServerBenchmark
{
    public static Command Command()
    {
        var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients", DefaultValueFactory = _ => 32 };
        var pods = new Option<int>("--pods") { Description = "Pods created through the API (the LIST reads them all)", DefaultValueFactory = _ => 100_000 };
        var ops = new Option<int>("--ops") { Description = "Creates, gets and updates measured", DefaultValueFactory = _ => 20_000 };
        var watchers = new Option<int>("--watchers") { Description = "Concurrent watches in the fan-out test", DefaultValueFactory = _ => 1000 };
        var events = new Option<int>("--events") { Description = "Writes delivered to every watcher", DefaultValueFactory = _ => 50 };
        var command = new Command("apiserver", "API server throughput and latency: pod CRUD, LIST from the store, watch fan-out") { clients, pods, ops, watchers, events };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            parsed.GetValue(clients), parsed.GetValue(pods), parsed.GetValue(ops), parsed.GetValue(watchers), parsed.GetValue(events), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int clients, int pods, int ops, int watchers, int events, CancellationToken cancellationToken)
    {
        await using var server = await LocalApiServer.StartAsync("api", cancellationToken);
        var address = server.Address;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 2048, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        var report = new Report();
        var workload = new PodWorkload(http, clients);

        var creates = await workload.CreateAsync("bench", ops, cancellationToken);
        Row(report, "pod creates", "creates", creates, clients);
        var gets = await workload.GetAsync("bench", ops, cancellationToken);
        Row(report, "pod gets", "gets", gets, clients);
        var updates = await workload.UpdateAsync("bench", ops, cancellationToken);
        Row(report, "pod updates", "updates", updates, clients);

        if (pods > ops)
        {
            await workload.CreateAsync("bench", pods - ops, cancellationToken, firstIndex: ops);
        }

        var listMs = new List<double>();
        long bytes = 0;
        for (var i = 0; i < 3; i++)
        {
            (var elapsed, bytes) = await workload.TimeListAsync("/api/v1/pods", cancellationToken);
            listMs.Add(elapsed.TotalMilliseconds);
        }

        var listed = await workload.CountListAsync("/api/v1/pods", cancellationToken);

        listMs.Sort();
        Console.WriteLine($"list: {listed} pods, {bytes / (1024 * 1024)} MiB, median of 3");
        report.Row($"LIST of {listed} pods, {bytes / (1024 * 1024)} MiB (median of 3, to last byte)", Report.Format(listMs[1], "ms"));
        report.Figure("list_pods", listed);
        report.Figure("list_ms", listMs[1]);
        report.Figure("list_mib", bytes / (1024.0 * 1024.0));

        var fanout = await new WatchFanout(http, address).RunAsync(watchers, events, cancellationToken);
        report.Row($"watch fan-out: {watchers} watchers x {events} writes", $"p50 {Report.Format(fanout.Percentile(0.5), "ms")}, p99 {Report.Format(fanout.Percentile(0.99), "ms")}");
        report.Figure("watchers", watchers);
        report.Figure("fanout_deliveries", fanout.Count);
        report.Figure("fanout_p50_ms", fanout.Percentile(0.5));
        report.Figure("fanout_p99_ms", fanout.Percentile(0.99));
        report.Print("metric", "result");
        return 0;
    }

    private static void Row(Report report, string name, string key, PhaseResult result, int clients)
    {
        Console.WriteLine($"{name}: {result.Count} in {result.Seconds:F2} s");
        report.Row($"{name} ({clients} clients)", $"{Report.Format(result.Count / result.Seconds, "/s")}, p50 {Report.Format(result.Latency.Percentile(0.5), "ms")}, p99 {Report.Format(result.Latency.Percentile(0.99), "ms")}");
        report.Figure($"{key}_per_s", result.Count / result.Seconds);
        report.Figure($"{key}_p50_ms", result.Latency.Percentile(0.5));
        report.Figure($"{key}_p99_ms", result.Latency.Percentile(0.99));
    }

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
