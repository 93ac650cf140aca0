using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using Flotilla.Cli;
using Flotilla.Client.Informers;
using Flotilla.Controllers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench.PodStartup;

/// <summary>
/// <c>podstartup</c> (upstream's pod startup SLI on one real node): the control plane in this process and the real
/// node of <c>up --runtime containerd</c> (containerd + runc started from a temp data dir, the offline images);
/// N busybox pods are created at a steady rate and each one's latency is timed from just before its create request
/// to the watch event that shows it Running (images are present, as the SLI excludes pulls). One warm-up pod first.
/// </summary>
public static class PodStartupBenchmark
{
    public static Command Command()
    {
        var pods = new Option<int>("--pods") { Description = "Pods to start", DefaultValueFactory = _ => 100 };
        var rate = new Option<double>("--rate") { Description = "Pods created per second", DefaultValueFactory = _ => 10 };
        var command = new Command("podstartup", "Pods on a real containerd node: create to Running, p50/p99") { pods, rate };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(pods), parsed.GetValue(rate), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int count, double rate, CancellationToken cancellationToken)
    {
        await using var plane = await LocalControlPlane.StartAsync("podstartup", new ControllerManagerOptions(), cancellationToken);
        var admin = plane.Admin;
        await using (await RealNode.StartAsync(plane, cancellationToken))
        {
            var created = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            var running = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            await using var informers = new SharedInformerFactory(admin, TimeProvider.System);
            var informer = informers.Informer<V1Pod>(new InformerOptions { LabelSelector = "bench=podstartup" });
            void Seen(V1Pod pod)
            {
                if (pod.Status?.Phase == "Running")
                {
                    running.TryAdd(pod.Metadata.Name, Stopwatch.GetTimestamp());
                }
            }

            informer.AddEventHandler(new ResourceEventHandler<V1Pod> { OnAdd = (p, _) => Seen(p), OnUpdate = (_, p) => Seen(p) });
            informers.Start();
            await informers.WaitForCacheSyncAsync(cancellationToken);

            await admin.CoreV1.CreateNamespacedPodAsync(Pod("warmup"), "default", cancellationToken: cancellationToken);
            await RealNode.UntilAsync(() => Task.FromResult(running.ContainsKey("warmup")), "the warm-up pod Running", cancellationToken);

            var clock = Stopwatch.StartNew();
            var interval = TimeSpan.FromSeconds(1 / rate);
            for (var i = 0; i < count; i++)
            {
                var name = $"pod-{i}";
                var due = interval * i - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }

                created[name] = Stopwatch.GetTimestamp();
                await admin.CoreV1.CreateNamespacedPodAsync(Pod(name), "default", cancellationToken: cancellationToken);
            }

            await RealNode.UntilAsync(() => Task.FromResult(created.Keys.All(running.ContainsKey)), $"{count} Running pods", cancellationToken, () => $"{clock.Elapsed.TotalSeconds:F0} s: {created.Keys.Count(running.ContainsKey)} of {count} Running");
            var allRunning = clock.Elapsed.TotalSeconds;
            var latencies = created.Select(kv => Stopwatch.GetElapsedTime(kv.Value, running[kv.Key]).TotalMilliseconds).Order().ToArray();

            var report = new Report();
            report.Row($"{count} pods created at {rate:F0}/s, all Running after", Report.Format(allRunning, "s"));
            report.Row("startup latency p50 (create to Running, watched)", Report.Format(Report.Percentile(latencies, 0.50), "ms"));
            report.Row("startup latency p90", Report.Format(Report.Percentile(latencies, 0.90), "ms"));
            report.Row("startup latency p99", Report.Format(Report.Percentile(latencies, 0.99), "ms"));
            report.Row("startup latency max", Report.Format(latencies[^1], "ms"));
            report.Figure("pods", count);
            report.Figure("rate_per_s", rate);
            report.Figure("all_running_s", allRunning);
            report.Figure("startup_p50_ms", Report.Percentile(latencies, 0.50));
            report.Figure("startup_p90_ms", Report.Percentile(latencies, 0.90));
            report.Figure("startup_p99_ms", Report.Percentile(latencies, 0.99));
            report.Figure("startup_max_ms", latencies[^1]);
            report.Print("metric", "result");

            foreach (var pod in created.Keys.Append("warmup"))
            {
                await admin.CoreV1.DeleteNamespacedPodAsync(pod, "default", new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: cancellationToken);
            }
        }

        return 0;
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["bench"] = "podstartup" } },
        Spec = new V1PodSpec
        {
            TerminationGracePeriodSeconds = 0,
            Containers = [new V1Container { Name = "c", Image = "busybox:1.35", Command = ["sleep", "3600"] }],
        },
    };
}
