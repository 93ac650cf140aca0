using System.CommandLine;
using System.Diagnostics;
using Flotilla.Client.Informers;
using Flotilla.Controllers;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Controllers;

/// <summary>
/// <c>controllers</c>: a Deployment of N replicas from create to all available, then a rolling update of it, through
/// the real API server (HTTPS, SQLite in a temp dir), scheduler and controller manager in this process, each under its
/// own identity. The nodes are hollow nodes of a real <c>flotilla agent</c> child process (#7's kubelet on simulated
/// containers): they register, heart-beat, run the pods and finish their deletion as kubelets do.
/// </summary>
public static class ControllersBenchmark
{
    public static Command Command()
    {
        var replicas = new Option<int>("--replicas") { Description = "Replicas of the Deployment", DefaultValueFactory = _ => 10_000 };
        var nodes = new Option<int>("--nodes") { Description = "Nodes (110 pods each; room for the surge is needed)", DefaultValueFactory = _ => 150 };
        var command = new Command("controllers", "Deployment create-to-available and rolling update, pod churn per second") { replicas, nodes };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(replicas), parsed.GetValue(nodes), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int replicas, int nodeCount, CancellationToken cancellationToken)
    {
        await using var plane = await LocalControlPlane.StartAsync("controllers", new ControllerManagerOptions(), cancellationToken);
        var (server, admin, work) = (plane.Server, plane.Admin, plane.WorkDir);
        await using var agent = AgentProcess.Start(server, work, nodeCount, "node");
        await WaitAsync(async () => await AgentProcess.ReadyNodesAsync(admin, "node", cancellationToken) == nodeCount, $"{nodeCount} Ready hollow nodes", TimeSpan.FromMinutes(5), cancellationToken);
        Console.WriteLine($"{nodeCount} hollow nodes Ready");

        // Churn: pods that came and went, seen through a watch.
        var added = 0;
        var deleted = 0;
        await using var informers = new SharedInformerFactory(admin, TimeProvider.System);
        var pods = informers.Informer<V1Pod>();
        pods.AddEventHandler(new ResourceEventHandler<V1Pod> { OnAdd = (_, _) => Interlocked.Increment(ref added), OnDelete = _ => Interlocked.Increment(ref deleted) });
        informers.Start();
        await informers.WaitForCacheSyncAsync(cancellationToken);
        int Churn() => Volatile.Read(ref added) + Volatile.Read(ref deleted);

        // 1. Create to all available.
        var clock = Stopwatch.StartNew();
        await admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment(replicas), "default", cancellationToken: cancellationToken);
        await UntilAsync(admin, replicas, generation: 1, clock, Churn, cancellationToken);
        var createSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"{replicas} replicas available in {createSeconds:F1} s");

        // 2. A rolling update of all of them (25% surge, 25% unavailable: the defaults).
        var churnBefore = Churn();
        clock.Restart();
        await admin.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"bench/rollout":"2"}}}}}""", V1Patch.PatchType.MergePatch), "bench", "default", cancellationToken: cancellationToken);
        await UntilAsync(admin, replicas, generation: 2, clock, Churn, cancellationToken);
        var rolloutSeconds = clock.Elapsed.TotalSeconds;
        var churn = Churn() - churnBefore;
        Console.WriteLine($"rolled out in {rolloutSeconds:F1} s ({churn} pods created or deleted)");
        var agentRss = agent.ResidentBytes() / (1024.0 * 1024.0);


        var rss = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
        var report = new Report();
        report.Row($"create to all available ({replicas} replicas, {nodeCount} nodes)", Report.Format(createSeconds, "s"));
        report.Row("pods made available per second", Report.Format(replicas / createSeconds, "pods/s"));
        report.Row("rolling update to all updated and available", Report.Format(rolloutSeconds, "s"));
        report.Row("pod churn during the rollout (created + deleted)", Report.Format(churn / rolloutSeconds, "pods/s"));
        report.Row("peak RSS (API server, scheduler, controllers)", Report.Format(rss, "MiB"));
        report.Row("hollow nodes' agent RSS at the end", Report.Format(agentRss, "MiB"));
        report.Figure("replicas", replicas);
        report.Figure("nodes", nodeCount);
        report.Figure("create_to_available_s", createSeconds);
        report.Figure("available_pods_per_s", replicas / createSeconds);
        report.Figure("rollout_s", rolloutSeconds);
        report.Figure("churn_pods_per_s", churn / rolloutSeconds);
        report.Figure("peak_rss_mib", rss);
        report.Figure("agent_rss_mib", agentRss);
        report.Print("metric", "result");
        return 0;
    }

    /// <summary>Until the Deployment at <paramref name="generation"/> has every replica updated and available, and no others.</summary>
    private static async Task UntilAsync(Kubernetes admin, int replicas, long generation, Stopwatch clock, Func<int> churn, CancellationToken cancellationToken)
    {
        var lastPrint = TimeSpan.Zero;
        while (true)
        {
            var status = (await admin.AppsV1.ReadNamespacedDeploymentStatusAsync("bench", "default", cancellationToken: cancellationToken)).Status;
            if (status?.ObservedGeneration >= generation && status.UpdatedReplicas == replicas && status.AvailableReplicas == replicas && status.Replicas == replicas)
            {
                return;
            }

            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(2))
            {
                lastPrint = clock.Elapsed;
                Console.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: {status?.Replicas ?? 0} pods, {status?.UpdatedReplicas ?? 0} updated, {status?.AvailableReplicas ?? 0} available; {churn()} pods created or deleted so far");
            }

            if (clock.Elapsed > TimeSpan.FromMinutes(30))
            {
                throw new TimeoutException("the Deployment did not settle in 30 minutes");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> done, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not appear in {timeout.TotalSeconds} s");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static V1Deployment Deployment(int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = "bench" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "bench" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "bench" } },
                Spec = new V1PodSpec
                {
                    AutomountServiceAccountToken = false,
                    Containers = [new V1Container { Name = "pause", Image = "registry.k8s.io/pause:3.10" }],
                },
            },
        },
    };
}
