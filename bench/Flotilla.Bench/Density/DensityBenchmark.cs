using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using Flotilla.Client.Informers;
using Flotilla.Controllers;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Density;

/// <summary>
/// <c>density</c> (kubemark's density test): N hollow nodes in a real <c>flotilla agent</c> process join the API server,
/// scheduler and controller manager running in this one (HTTPS, SQLite in a temp dir); then N × pods-per-node pods
/// are created and the time until every one is Running is measured, with each pod's startup latency (create to
/// Running, seen through a watch) and the agent's memory per hollow node and per hollow pod. Pods are bare (no
/// controller), so the scheduler's default spreading, which applies to controlled pods, is not what is measured.
/// </summary>
public static class DensityBenchmark
{
    /// <summary>Room for 16,384 node subnets of /24 (the default 10.42.0.0/16 holds 256, as upstream's /16 does).</summary>
    private const string ClusterCidr = "10.64.0.0/10";

    public static Command Command()
    {
        var nodes = new Option<int>("--nodes") { Description = "Hollow nodes", DefaultValueFactory = _ => 1000 };
        var podsPerNode = new Option<int>("--pods-per-node") { Description = "Pods per node", DefaultValueFactory = _ => 30 };
        var command = new Command("density", "Hollow nodes joining, pods to Running, memory per hollow node and pod") { nodes, podsPerNode };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(nodes), parsed.GetValue(podsPerNode), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int nodeCount, int podsPerNode, CancellationToken cancellationToken)
    {
        await using var plane = await LocalControlPlane.StartAsync("density", new ControllerManagerOptions { ClusterCidr = ClusterCidr }, cancellationToken);
        var (server, admin, work) = (plane.Server, plane.Admin, plane.WorkDir);

        // The agent's own footprint, with one node, to subtract from the per-node figure.
        long baseline;
        await using (var one = AgentProcess.Start(server, work, 1, "baseline"))
        {
            await UntilAsync(async () => await AgentProcess.ReadyNodesAsync(admin, "baseline", cancellationToken) == 1, "the baseline node", TimeSpan.FromMinutes(2), null, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            baseline = one.ResidentBytes();
        }

        await admin.CoreV1.DeleteNodeAsync("baseline-0", cancellationToken: cancellationToken);
        Console.WriteLine($"agent baseline (1 hollow node): {baseline / 1048576.0:F1} MiB");

        // 1. Nodes join.
        var clock = Stopwatch.StartNew();
        await using var agent = AgentProcess.Start(server, work, nodeCount, "hollow");
        await UntilAsync(async () => await AgentProcess.ReadyNodesAsync(admin, "hollow", cancellationToken) == nodeCount, $"{nodeCount} Ready nodes", TimeSpan.FromMinutes(20), n => $"{n:F0} s: waiting for {nodeCount} Ready nodes", cancellationToken);
        var joinSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{nodeCount} hollow nodes Ready in {joinSeconds:F1} s");
        await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);  // heartbeats settle
        var withNodes = agent.ResidentBytes();

        // 2. Pods to Running, observed through a watch.
        var total = nodeCount * podsPerNode;
        var created = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var runningAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        await using var informers = new SharedInformerFactory(admin, TimeProvider.System);
        var pods = informers.Informer<V1Pod>(new InformerOptions { LabelSelector = "bench=density" });
        void Seen(V1Pod pod)
        {
            if (pod.Status?.Phase == "Running")
            {
                runningAt.TryAdd(pod.Metadata.Name, Stopwatch.GetTimestamp());
            }
        }

        pods.AddEventHandler(new ResourceEventHandler<V1Pod> { OnAdd = (p, _) => Seen(p), OnUpdate = (_, p) => Seen(p) });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);

        clock.Restart();
        var next = -1;
        using var creating = new Timer(_ => Console.WriteLine($"{clock.Elapsed.TotalSeconds,6:F0} s: {created.Count} of {total} created, {runningAt.Count} Running"), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        await Parallel.ForEachAsync(Enumerable.Range(0, 32), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (_, token) =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var name = $"density-{i}";
                await admin.CoreV1.CreateNamespacedPodAsync(Pod(name), "default", cancellationToken: token);
                created[name] = Stopwatch.GetTimestamp();
            }
        });
        var createSeconds = clock.Elapsed.TotalSeconds;
        await creating.DisposeAsync();
        Console.WriteLine($"{total} pods created in {createSeconds:F1} s");
        await UntilAsync(() => Task.FromResult(runningAt.Count >= total), $"{total} Running pods", TimeSpan.FromMinutes(60), s => $"{s:F0} s: {runningAt.Count} of {total} Running", cancellationToken);
        var allRunningSeconds = clock.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);  // status writes settle
        var withPods = agent.ResidentBytes();

        var latencies = runningAt.Select(kv => Stopwatch.GetElapsedTime(created.GetValueOrDefault(kv.Key, kv.Value), kv.Value).TotalMilliseconds).Order().ToArray();

        var perNode = (withNodes - baseline) / (double)Math.Max(1, nodeCount - 1) / 1024.0;
        var perPod = (withPods - withNodes) / (double)total / 1024.0;
        var report = new Report();
        report.Row($"{nodeCount} hollow nodes joined and Ready", Report.Format(joinSeconds, "s"));
        report.Row($"{total} pods created ({podsPerNode} per node)", Report.Format(createSeconds, "s"));
        report.Row("create to all Running", Report.Format(allRunningSeconds, "s"));
        report.Row("pods Running per second", Report.Format(total / allRunningSeconds, "pods/s"));
        report.Row("pod startup latency p50 (created to Running, watched)", Report.Format(Report.Percentile(latencies, 0.50), "ms"));
        report.Row("pod startup latency p99", Report.Format(Report.Percentile(latencies, 0.99), "ms"));
        report.Row("agent RSS: baseline (1 node) / with nodes / with pods", $"{baseline / 1048576.0:F0} / {withNodes / 1048576.0:F0} / {withPods / 1048576.0:F0} MiB");
        report.Row("agent memory per hollow node", Report.Format(perNode, "KiB"));
        report.Row("agent memory per hollow pod", Report.Format(perPod, "KiB"));
        report.Figure("nodes", nodeCount);
        report.Figure("pods", total);
        report.Figure("join_s", joinSeconds);
        report.Figure("create_s", createSeconds);
        report.Figure("all_running_s", allRunningSeconds);
        report.Figure("running_pods_per_s", total / allRunningSeconds);
        report.Figure("startup_p50_ms", Report.Percentile(latencies, 0.50));
        report.Figure("startup_p99_ms", Report.Percentile(latencies, 0.99));
        report.Figure("agent_rss_baseline_mib", baseline / 1048576.0);
        report.Figure("agent_rss_nodes_mib", withNodes / 1048576.0);
        report.Figure("agent_rss_pods_mib", withPods / 1048576.0);
        report.Figure("per_node_kib", perNode);
        report.Figure("per_pod_kib", perPod);
        report.Print("metric", "result");
        return 0;
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what, TimeSpan timeout, Func<double, string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var printed = TimeSpan.Zero;
        while (!await done())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{what} not reached in {timeout.TotalMinutes} min");
            }

            if (progress is not null && clock.Elapsed - printed >= TimeSpan.FromSeconds(5))
            {
                printed = clock.Elapsed;
                Console.WriteLine(progress(clock.Elapsed.TotalSeconds));
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["bench"] = "density" } },
        Spec = new V1PodSpec
        {
            AutomountServiceAccountToken = false,
            Containers = [new V1Container { Name = "pause", Image = "registry.k8s.io/pause:3.10", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("10Mi") } } }],
        },
    };
}
