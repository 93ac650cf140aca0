using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Flotilla.Bench.ApiServer;
using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Scheduler;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench.Scheduler;

/// <summary>
/// <c>scheduler</c>: upstream scheduler_perf's SchedulingBasic — N Node objects (no kubelets) and M pending pods
/// created through a real API server (this process, SQLite in a temp dir), then the scheduler places them all.
/// Throughput is measured from the first bind to the last; latency is each pod's attempt (pop to bound).
/// <c>--workload spread</c> adds preferred pod anti-affinity on the hostname and a hard zone topology spread.
/// </summary>
public static class SchedulerBenchmark
{
    private const int Clients = 32;
    private const int Zones = 10;

    public static Command Command()
    {
        var nodes = new Option<int>("--nodes") { Description = "Node objects", DefaultValueFactory = _ => 5000 };
        var pods = new Option<int>("--pods") { Description = "Pending pods to schedule", DefaultValueFactory = _ => 10_000 };
        var workload = new Option<string>("--workload") { Description = "basic, or spread (anti-affinity + topology spread)", DefaultValueFactory = _ => "basic" };
        workload.AcceptOnlyFromAmong("basic", "spread");
        var command = new Command("scheduler", "Scheduling throughput and latency (scheduler_perf SchedulingBasic)") { nodes, pods, workload };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(nodes), parsed.GetValue(pods), parsed.GetValue(workload)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int nodeCount, int podCount, string workload, CancellationToken cancellationToken)
    {
        await using var server = await LocalApiServer.StartAsync("sched", cancellationToken);
        var address = server.Address;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };

        var setup = Stopwatch.StartNew();
        await ParallelAsync(nodeCount, i => PostAsync(http, "/api/v1/nodes", Node(i), cancellationToken));
        Console.WriteLine($"created {nodeCount} nodes in {setup.Elapsed.TotalSeconds:F1} s");
        await PostAsync(http, "/api/v1/namespaces", """{"metadata":{"name":"sched"}}""", cancellationToken);
        setup.Restart();
        await ParallelAsync(podCount, i => PostAsync(http, "/api/v1/namespaces/sched/pods", Pod(i, workload == "spread"), cancellationToken));
        Console.WriteLine($"created {podCount} pending pods in {setup.Elapsed.TotalSeconds:F1} s");

        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = address.ToString() });
        await using var informers = new SharedInformerFactory(client, TimeProvider.System, NullLoggerFactory.Instance);
        await using var recorder = new EventRecorder(client, new EventRecorderOptions { Component = SchedulerOptions.DefaultSchedulerName }, TimeProvider.System, NullLogger<EventRecorder>.Instance);
        recorder.Start();
        var scheduler = new Flotilla.Scheduler.Scheduler(client, informers, recorder, new SchedulerOptions(), TimeProvider.System, NullLogger<Flotilla.Scheduler.Scheduler>.Instance);
        var latency = new LatencyRecorder();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long first = 0, last = 0;
        var bound = 0;
        scheduler.Bound += (_, _, elapsed) =>
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref first, now, 0);
            Volatile.Write(ref last, now);
            latency.Add(elapsed);
            if (Interlocked.Increment(ref bound) == podCount)
            {
                done.TrySetResult();
            }
        };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pauseBefore = GC.GetTotalPauseDuration();
        var started = Stopwatch.StartNew();
        var running = scheduler.RunAsync(stop.Token);
        var progress = Task.Run(async () =>
        {
            while (!done.Task.IsCompleted && !stop.IsCancellationRequested)
            {
                await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(2), stop.Token));
                Console.WriteLine($"{started.Elapsed.TotalSeconds,6:F1} s: {Volatile.Read(ref bound)}/{podCount} bound");
            }
        }, CancellationToken.None);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(20), cancellationToken);
        var wall = started.Elapsed;
        await stop.CancelAsync();
        await running;
        await progress;

        var seconds = Stopwatch.GetElapsedTime(first, last).TotalSeconds;
        var allocatedMib = (GC.GetTotalAllocatedBytes() - allocatedBefore) / (1024.0 * 1024.0);
        var pauses = GC.GetTotalPauseDuration() - pauseBefore;
        Console.WriteLine($"GC while scheduling: {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3} (gen0/1/2), paused {pauses.TotalMilliseconds:F0} ms, allocated {allocatedMib:F0} MiB");
        var report = new Report();
        report.Row($"pods scheduled ({podCount} pods, {nodeCount} nodes, {workload})", Report.Format(podCount / seconds, "pods/s"));
        report.Row("per-pod attempt latency", $"p50 {Report.Format(latency.Percentile(0.5), "ms")}, p99 {Report.Format(latency.Percentile(0.99), "ms")}");
        report.Row("wall time from scheduler start", Report.Format(wall.TotalSeconds, "s"));
        report.Row("allocated while scheduling (whole process)", Report.Format(allocatedMib / podCount * 1024, "KiB/pod"));
        report.Row("GC pauses while scheduling", Report.Format(pauses.TotalMilliseconds, "ms"));
        report.Row("peak RSS (API server + scheduler)", Report.Format(Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), "MiB"));
        report.Figure("nodes", nodeCount);
        report.Figure("pods", podCount);
        report.Figure("workload", workload);
        report.Figure("pods_per_s", podCount / seconds);
        report.Figure("p50_ms", latency.Percentile(0.5));
        report.Figure("p99_ms", latency.Percentile(0.99));
        report.Figure("wall_s", wall.TotalSeconds);
        report.Figure("allocated_kib_per_pod", allocatedMib / podCount * 1024);
        report.Figure("gc_pause_ms", pauses.TotalMilliseconds);
        report.Figure("peak_rss_mib", Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0));
        report.Print("metric", "result");
        return 0;
    }

    // scheduler_perf's node-default.yaml: 4 CPUs, 32Gi, 110 pods; zones for the spread workload.
    private static string Node(int i) =>
        $$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-{{{i}}}","labels":{"kubernetes.io/hostname":"node-{{{i}}}","topology.kubernetes.io/zone":"zone-{{{i % Zones}}}"}},"status":{"capacity":{"cpu":"4","memory":"32Gi","pods":"110"},"allocatable":{"cpu":"4","memory":"32Gi","pods":"110"},"conditions":[{"type":"Ready","status":"True"}]}}""";

    // scheduler_perf's pod-default.yaml: pause, 100m CPU and 500Mi requested.
    private static string Pod(int i, bool spread)
    {
        var constraints = spread
            ? ""","affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"bench"}},"topologyKey":"kubernetes.io/hostname"}}]}},"topologySpreadConstraints":[{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"bench"}}}]"""
            : string.Empty;
        return $$$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"pod-{{{{i}}}}","labels":{"app":"bench"}},"spec":{"automountServiceAccountToken":false,"containers":[{"name":"pause","image":"registry.k8s.io/pause:3.10","resources":{"requests":{"cpu":"100m","memory":"500Mi"},"limits":{"cpu":"100m","memory":"500Mi"}}}]{{{{constraints}}}}}}""";
    }

    private static async Task PostAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, ApiServerBenchmark.Json(json), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private static Task ParallelAsync(int count, Func<int, Task> work)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await work(i);
            }
        })));
    }
}
