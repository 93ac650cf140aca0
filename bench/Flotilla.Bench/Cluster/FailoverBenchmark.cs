using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Flotilla.Client;
using Flotilla.Storage.Etcd;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Cluster;

/// <summary>
/// <c>failover</c>: the real <c>flotilla up --servers 3 --nodes 0 --store etcd</c> (three API servers, its own three
/// etcd members) as a child process. A client of the three servers (<see cref="ClusterClients.ForServers"/>, server 2
/// first, as <c>up</c>'s node 2 uses them) writes ConfigMaps. Timed: from the SIGKILL of server 2 to the client's
/// next acknowledged write and to the <c>kubernetes</c> Endpoints without server 2; from the SIGKILL of the etcd
/// leader to the next acknowledged write. Each run starts a fresh cluster.
/// </summary>
public static class FailoverBenchmark
{
    public static Command Command()
    {
        var runs = new Option<int>("--runs") { Description = "Clusters brought up, one after another", DefaultValueFactory = _ => 3 };
        var cli = new Option<string>("--cli")
        {
            Description = "The flotilla.dll to run (default: the one built beside this program)",
            DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "flotilla.dll"),
        };
        var command = new Command("failover", "Time for clients to go on when an API server or the etcd leader of 'flotilla up --servers 3' is killed") { runs, cli };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(runs), Path.GetFullPath(parsed.GetValue(cli)!), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int runs, string cli, CancellationToken cancellationToken)
    {
        var results = new List<(double Write, double Endpoints, double Etcd)>();
        for (var run = 1; run <= runs; run++)
        {
            var result = await OneAsync(cli, run, cancellationToken);
            Console.Error.WriteLine($"run {run}: server killed: next write {result.Write * 1000:F0} ms, endpoints {result.Endpoints:F2} s; etcd leader killed: next write {result.Etcd * 1000:F0} ms");
            results.Add(result);
        }

        var report = new Report();
        foreach (var (name, pick, unit) in new (string, Func<(double Write, double Endpoints, double Etcd), double>, string)[]
        {
            ("API server killed: next write", r => r.Write * 1000, "ms"),
            ("API server killed: gone from Endpoints", r => r.Endpoints, "s"),
            ("etcd leader killed: next write", r => r.Etcd * 1000, "ms"),
        })
        {
            var values = results.Select(pick).Order().ToArray();
            report.Row(name, Report.Format(values[0], unit), Report.Format(values[values.Length / 2], unit), Report.Format(values[^1], unit));
        }

        report.Figure("runs", runs);
        report.Figure("server_write_median_ms", results.Select(r => r.Write * 1000).Order().ToArray()[runs / 2]);
        report.Figure("etcd_write_median_ms", results.Select(r => r.Etcd * 1000).Order().ToArray()[runs / 2]);
        report.Print("from the SIGKILL to", "min", "median", "max");
        return 0;
    }

    private static async Task<(double Write, double Endpoints, double Etcd)> OneAsync(string cli, int run, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"flotilla-bench-failover-{run}-" + Guid.NewGuid().ToString("N")[..8]);
        using var up = TimeToClusterBenchmark.Start(cli, Path.Combine(Path.GetTempPath(), $"flotilla-bench-failover-{run}.log"), "up", "--servers", "3", "--nodes", "0", "--store", "etcd", "--data-dir", dir, "--listen", "127.0.0.1:0");
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            await RealNode.UntilAsync(() => Task.FromResult(File.Exists(kubeconfig) || up.HasExited), "the kubeconfig", cancellationToken);
            using var admin = ClusterClients.FromKubeconfig(kubeconfig);
            await RealNode.UntilAsync(async () => (await ApiServersAsync(admin, cancellationToken)) == 3, "three API servers in the Endpoints", cancellationToken);
            var servers = new[] { 2, 3, 1 }.Select(i => new Uri(ClusterClients.ConfigFromKubeconfig(kubeconfig, $"flotilla-server-{i}").Host)).ToList();
            using var client = ClusterClients.ForServers(servers, ClusterClients.ConfigFromKubeconfig(kubeconfig, "flotilla-server-2"));
            var written = 0;
            await WriteAsync(client, ref written, cancellationToken);

            Kill($"--data-dir {dir}/servers/server-2 ");
            var clock = Stopwatch.StartNew();
            await WriteAsync(client, ref written, cancellationToken);
            var write = clock.Elapsed.TotalSeconds;
            await RealNode.UntilAsync(async () => (await ApiServersAsync(admin, cancellationToken)) == 2, "server 2 gone from the Endpoints", cancellationToken);
            var endpoints = clock.Elapsed.TotalSeconds;

            Kill($"--data-dir {dir}/etcd/member-{await EtcdLeaderAsync(EtcdCluster.KeptEndpoints(Path.Combine(dir, "etcd")), cancellationToken)} ");
            clock.Restart();
            await WriteAsync(client, ref written, cancellationToken);
            return (write, endpoints, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            Process.Start("kill", ["-TERM", up.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
            await up.WaitForExitAsync(CancellationToken.None);
            using var reset = TimeToClusterBenchmark.Start(cli, Path.Combine(Path.GetTempPath(), $"flotilla-bench-failover-{run}-reset.log"), "reset", "--data-dir", dir);
            await reset.WaitForExitAsync(CancellationToken.None);
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Creates the next ConfigMap, trying again at once until one is acknowledged (a failed one may fail, not vanish).</summary>
    private static Task WriteAsync(IKubernetes client, ref int written, CancellationToken cancellationToken)
    {
        var name = $"failover-{written++}";
        return Core();

        async Task Core()
        {
            while (true)
            {
                try
                {
                    await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, "default", cancellationToken: cancellationToken);
                    return;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    return;  // an earlier attempt was stored after all
                }
                catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(10, cancellationToken);
                }
            }
        }
    }

    private static async Task<int> ApiServersAsync(IKubernetes admin, CancellationToken cancellationToken) =>
        (await admin.CoreV1.ReadNamespacedEndpointsAsync("kubernetes", "default", cancellationToken: cancellationToken)).Subsets?.Sum(s => s.Addresses?.Count ?? 0) ?? 0;

    /// <summary>The member number (1-based) of the etcd leader, from the members' status (etcd's JSON gateway).</summary>
    private static async Task<int> EtcdLeaderAsync(IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        for (var i = 0; i < members.Count; i++)
        {
            using var response = await http.PostAsync(new Uri(new Uri(members[i]), "/v3/maintenance/status"), new StringContent("{}"), cancellationToken);
            using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (status.RootElement.GetProperty("header").GetProperty("member_id").GetString() == status.RootElement.GetProperty("leader").GetString())
            {
                return i + 1;
            }
        }

        throw new InvalidOperationException("no etcd member says it leads");
    }

    private static void Kill(string pattern)
    {
        using var kill = Process.Start("pkill", ["-KILL", "-f", "--", pattern]) ?? throw new InvalidOperationException("pkill did not start");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"nothing to kill for '{pattern}'");
        }
    }
}
