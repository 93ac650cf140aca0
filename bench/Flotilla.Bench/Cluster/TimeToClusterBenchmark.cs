using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Flotilla.Client;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Cluster;

/// <summary>
/// <c>cluster</c> (time to cluster, as kind and k3d are compared): the real <c>flotilla up --nodes N</c> as a child
/// process in a fresh data dir, timed from its start to the API answering, to every node Ready, and to a Deployment of
/// N replicas spread one per node being available (busybox pods, images imported offline at each node's start). Then
/// it is stopped and reset; each run starts from nothing. A first run, not counted, warms this process up: otherwise
/// its own JIT shares the two cores with the first cluster's start and adds 2-3 s to it.
/// </summary>
public static class TimeToClusterBenchmark
{
    public static Command Command()
    {
        var nodes = new Option<int>("--nodes") { Description = "Real nodes (each in its own network namespace when more than one)", DefaultValueFactory = _ => 3 };
        var runs = new Option<int>("--runs") { Description = "Clusters brought up, one after another", DefaultValueFactory = _ => 3 };
        var cli = new Option<string>("--cli")
        {
            Description = "The flotilla.dll to run (default: the one built beside this program; the launcher's is .build/cli/flotilla.dll)",
            DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "flotilla.dll"),
        };
        var command = new Command("cluster", "Time from 'flotilla up --nodes N' to Ready nodes and an available spread Deployment") { nodes, runs, cli };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(nodes), parsed.GetValue(runs), Path.GetFullPath(parsed.GetValue(cli)!), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int nodes, int runs, string cli, CancellationToken cancellationToken)
    {
        await RealNode.BuildImagesAsync(cancellationToken, cli);
        var warm = await OneAsync(cli, nodes, 0, cancellationToken);
        Console.Error.WriteLine($"warm-up run (not counted): deployment available {warm.Available:F2} s");
        var results = new List<(double Api, double Nodes, double Available)>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await OneAsync(cli, nodes, run, cancellationToken);
            Console.Error.WriteLine($"run {run}: API {result.Api:F2} s, {nodes} nodes Ready {result.Nodes:F2} s, deployment available {result.Available:F2} s");
            results.Add(result);
        }

        var report = new Report();
        foreach (var (name, pick) in new (string, Func<(double Api, double Nodes, double Available), double>)[] { ("API serving", r => r.Api), ($"{nodes} nodes Ready", r => r.Nodes), ($"{nodes}-replica Deployment available", r => r.Available) })
        {
            var values = results.Select(pick).Order().ToArray();
            report.Row(name, Report.Format(values[0], "s"), Report.Format(values[values.Length / 2], "s"), Report.Format(values[^1], "s"));
        }

        var available = results.Select(r => r.Available).Order().ToArray();
        report.Figure("nodes", nodes);
        report.Figure("runs", runs);
        report.Figure("available_median_s", available[available.Length / 2]);
        report.Figure("available_max_s", available[^1]);
        report.Figure("nodes_ready_median_s", results.Select(r => r.Nodes).Order().ToArray()[runs / 2]);
        report.Print("from 'up' start to", "min", "median", "max");
        return 0;
    }

    private static async Task<(double Api, double Nodes, double Available)> OneAsync(string cli, int nodes, int run, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"flotilla-bench-cluster-{run}-" + Guid.NewGuid().ToString("N")[..8]);
        var clock = Stopwatch.StartNew();
        using var up = Start(cli, Path.Combine(Path.GetTempPath(), $"flotilla-bench-cluster-{run}.log"), "up", "--nodes", nodes.ToString(CultureInfo.InvariantCulture), "--data-dir", dir, "--listen", "127.0.0.1:0");
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            await RealNode.UntilAsync(() => Task.FromResult(File.Exists(kubeconfig) || up.HasExited), "the kubeconfig", cancellationToken);
            var api = clock.Elapsed.TotalSeconds;
            using var admin = ClusterClients.FromKubeconfig(kubeconfig);
            await RealNode.UntilAsync(async () => (await admin.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items.Count(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true) == nodes, "Ready nodes", cancellationToken);
            var ready = clock.Elapsed.TotalSeconds;
            await RealNode.UntilAsync(async () => (await admin.CoreV1.ListNamespacedServiceAccountAsync("default", cancellationToken: cancellationToken)).Items.Count > 0, "the default ServiceAccount", cancellationToken);
            await admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment(nodes), "default", cancellationToken: cancellationToken);
            await RealNode.UntilAsync(async () => (await admin.AppsV1.ReadNamespacedDeploymentAsync("spread", "default", cancellationToken: cancellationToken)).Status?.AvailableReplicas == nodes, "the Deployment available", cancellationToken);
            return (api, ready, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            Process.Start("kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            await up.WaitForExitAsync(CancellationToken.None);
            using var reset = Start(cli, Path.Combine(Path.GetTempPath(), $"flotilla-bench-cluster-{run}-reset.log"), "reset", "--data-dir", dir);
            await reset.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary><c>dotnet CLI args</c>, its output (and its children's) into <paramref name="log"/>.</summary>
    internal static Process Start(string cli, string log, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start flotilla");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.Exited += (_, _) => writer.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static V1Deployment Deployment(int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = "spread" },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "spread" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "spread" } },
                Spec = new V1PodSpec
                {
                    TopologySpreadConstraints = [new V1TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "kubernetes.io/hostname", WhenUnsatisfiable = "DoNotSchedule", LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "spread" } } }],
                    Containers = [new V1Container { Name = "c", Image = "busybox:1.35", Command = ["sleep", "3600"] }],
                },
            },
        },
    };
}
