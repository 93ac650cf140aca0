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
        await BuildImagesAsync(cancellationToken);
        await using var plane = await LocalControlPlane.StartAsync("podstartup", new ControllerManagerOptions(), cancellationToken);
        var admin = plane.Admin;
        var dataDir = new DataDirectory(Path.Combine(plane.WorkDir, "node"));
        using var stopNode = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var node = await ContainerdNode.StartAsync(dataDir, plane.Server.Address, plane.Server.Pki!, NullLoggerFactory.Instance, stopNode.Token);
        try
        {
            await UntilAsync(async () => (await admin.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items.Any(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true), "a Ready node", cancellationToken);

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
            await UntilAsync(() => Task.FromResult(running.ContainsKey("warmup")), "the warm-up pod Running", cancellationToken);

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

            await UntilAsync(() => Task.FromResult(created.Keys.All(running.ContainsKey)), $"{count} Running pods", cancellationToken, () => $"{clock.Elapsed.TotalSeconds:F0} s: {created.Keys.Count(running.ContainsKey)} of {count} Running");
            var allRunning = clock.Elapsed.TotalSeconds;
            var latencies = created.Select(kv => Stopwatch.GetElapsedTime(kv.Value, running[kv.Key]).TotalMilliseconds).Order().ToArray();

            var report = new Report();
            report.Row($"{count} pods created at {rate:F0}/s, all Running after", Report.Format(allRunning, "s"));
            report.Row("startup latency p50 (create to Running, watched)", Report.Format(Percentile(latencies, 0.50), "ms"));
            report.Row("startup latency p90", Report.Format(Percentile(latencies, 0.90), "ms"));
            report.Row("startup latency p99", Report.Format(Percentile(latencies, 0.99), "ms"));
            report.Row("startup latency max", Report.Format(latencies[^1], "ms"));
            report.Figure("pods", count);
            report.Figure("rate_per_s", rate);
            report.Figure("all_running_s", allRunning);
            report.Figure("startup_p50_ms", Percentile(latencies, 0.50));
            report.Figure("startup_p90_ms", Percentile(latencies, 0.90));
            report.Figure("startup_p99_ms", Percentile(latencies, 0.99));
            report.Figure("startup_max_ms", latencies[^1]);
            report.Print("metric", "result");

            foreach (var pod in created.Keys.Append("warmup"))
            {
                await admin.CoreV1.DeleteNamespacedPodAsync(pod, "default", new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: cancellationToken);
            }
        }
        finally
        {
            await stopNode.CancelAsync();
            await node.Running;
            await node.DisposeAsync();
            await new Flotilla.Kubelet.Runtime.Cri.CriNode(dataDir.Root).ResetAsync(NullLogger.Instance, CancellationToken.None);
            dataDir.Dispose();
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

    /// <summary>The offline images beside this program, where the real node imports them from (as the launcher builds them beside the CLI).</summary>
    private static async Task BuildImagesAsync(CancellationToken cancellationToken)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "scripts", "images", "build.sh")))
        {
            root = root.Parent;
        }

        var script = root is null ? throw new InvalidOperationException("scripts/images/build.sh not found") : Path.Combine(root.FullName, "scripts", "images", "build.sh");
        using var build = Process.Start("bash", [script, Path.Combine(AppContext.BaseDirectory, "images")]);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("building the images failed");
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what, CancellationToken cancellationToken, Func<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var printed = TimeSpan.Zero;
        while (!await done())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"{what} not reached in 5 min");
            }

            if (progress is not null && clock.Elapsed - printed >= TimeSpan.FromSeconds(5))
            {
                printed = clock.Elapsed;
                Console.WriteLine(progress());
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
