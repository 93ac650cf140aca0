using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Flotilla.Api.Services;
using Flotilla.Proxy;
using Flotilla.Proxy.Iptables;
using Flotilla.Proxy.Model;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench.Proxy;

/// <summary>
/// <c>proxy</c> (network programming latency): an API server in this process, S Services of E endpoints each, and the
/// node's proxy writing the rules into a network namespace of the benchmark's (so the host's rules are untouched).
/// First the time until every endpoint's chain is in the kernel; then C times one EndpointSlice changes (one
/// endpoint's address replaced), timed from just before the update request until iptables shows the new endpoint's
/// chain (polled; the cost of one poll is reported too). Changes are a little over a second apart, as upstream's
/// min-sync-period lets one through at once.
/// </summary>
public static class ProxyBenchmark
{
    public static Command Command()
    {
        var services = new Option<int>("--services") { Description = "Services, each with its EndpointSlice", DefaultValueFactory = _ => 1000 };
        var endpoints = new Option<int>("--endpoints") { Description = "Endpoints per service", DefaultValueFactory = _ => 10 };
        var changes = new Option<int>("--changes") { Description = "Timed EndpointSlice changes", DefaultValueFactory = _ => 50 };
        var command = new Command("proxy", "iptables programming latency: S services x E endpoints, EndpointSlice change to rule in place p50/p99") { services, endpoints, changes };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(services), parsed.GetValue(endpoints), parsed.GetValue(changes), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int serviceCount, int endpointCount, int changes, CancellationToken cancellationToken)
    {
        await using var server = await LocalApiServer.StartAsync("proxy", cancellationToken);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Address.ToString() });
        var netns = "flbench" + Guid.NewGuid().ToString("N")[..6];
        Run("ip", "netns", "add", netns);
        try
        {
            Run("ip", "-n", netns, "link", "set", "lo", "up");
            Console.Error.WriteLine($"proxy: creating {serviceCount} services x {endpointCount} endpoints");
            var slices = await CreateAsync(client, serviceCount, endpointCount, cancellationToken);
            var iptables = new IptablesRunner("/run/netns/" + netns);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var options = new ProxyOptions { NodeName = "bench", NetworkNamespace = "/run/netns/" + netns, HealthzEndpoint = new IPEndPoint(IPAddress.Loopback, 0) };
            var health = new TaskCompletionSource<IPEndPoint>();
            var clock = Stopwatch.StartNew();
            var proxy = ProxyHost.RunAsync(client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, health.SetResult);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{await health.Task}") };
            while (await CountAsync(iptables, "FLOTILLA-SEP-", cancellationToken) < serviceCount * endpointCount)
            {
                await Task.Delay(50, cancellationToken);
            }

            var initial = clock.Elapsed.TotalSeconds;
            var (fullSyncs, fullSeconds) = await SyncsAsync(http, cancellationToken);
            var rules = (await iptables.RunAsync("iptables-save", [], null, cancellationToken)).Output.Split('\n').Count(l => l.StartsWith("-A FLOTILLA-", StringComparison.Ordinal));
            Console.Error.WriteLine($"proxy: {rules} rules in {initial:F2} s; timing {changes} changes");

            var latencies = new double[changes];
            var polls = new List<double>();
            for (var i = 0; i < changes; i++)
            {
                await Task.Delay(1100, cancellationToken);
                var slice = slices[i % slices.Count];
                var current = await client.DiscoveryV1.ReadNamespacedEndpointSliceAsync(slice.Name, "default", cancellationToken: cancellationToken);
                var ip = $"10.44.{i / 250}.{(i % 250) + 1}";
                current.Endpoints[0].Addresses = [ip];
                var port = new ServicePort(new ServicePortName("default", slice.Service, "http"), "tcp", string.Empty, 80, 0, null, false, false, [], []);
                var chain = ChainNames.Endpoint(port, new Endpoint(ip, 8080, true, true, false, false));
                var start = Stopwatch.GetTimestamp();
                await client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(current, slice.Name, "default", cancellationToken: cancellationToken);
                while (true)
                {
                    var poll = Stopwatch.GetTimestamp();
                    var found = (await iptables.RunAsync("iptables", ["-w", "-t", "nat", "-S", chain], null, cancellationToken)).Code == 0;
                    polls.Add(Stopwatch.GetElapsedTime(poll).TotalMilliseconds);
                    if (found)
                    {
                        break;
                    }
                }

                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            var (syncs, seconds) = await SyncsAsync(http, cancellationToken);
            var partialMs = (seconds - fullSeconds) / Math.Max(1, syncs - fullSyncs) * 1000;
            await stop.CancelAsync();
            await proxy;
            Array.Sort(latencies);
            var pollsSorted = polls.Order().ToArray();
            var report = new Report();
            report.Row($"{serviceCount} services x {endpointCount} endpoints: all rules in place after start", Report.Format(initial, "s"));
            report.Row("rules (filter + nat)", rules.ToString(System.Globalization.CultureInfo.InvariantCulture));
            report.Row("first (full) sync, as the proxy measured it", Report.Format(fullSeconds / fullSyncs, "s"));
            report.Row("later (partial) syncs, mean", Report.Format(partialMs, "ms"));
            report.Row($"{changes} EndpointSlice changes: change to rule in place p50", Report.Format(Report.Percentile(latencies, 0.50), "ms"));
            report.Row("change to rule in place p99", Report.Format(Report.Percentile(latencies, 0.99), "ms"));
            report.Row("one poll (iptables -S <chain>) p50", Report.Format(Report.Percentile(pollsSorted, 0.50), "ms"));
            report.Figure("services", serviceCount);
            report.Figure("endpoints", endpointCount);
            report.Figure("rules", rules);
            report.Figure("initial_s", initial);
            report.Figure("full_sync_s", fullSeconds / fullSyncs);
            report.Figure("partial_sync_ms", partialMs);
            report.Figure("change_p50_ms", Report.Percentile(latencies, 0.50));
            report.Figure("change_p99_ms", Report.Percentile(latencies, 0.99));
            report.Figure("poll_p50_ms", Report.Percentile(pollsSorted, 0.50));
            report.Print("metric", "result");
        }
        finally
        {
            Run("ip", "netns", "delete", netns);
        }

        return 0;
    }

    /// <summary>The services (no selector: the benchmark writes their slices) and one slice each, 8 requests at a time.</summary>
    private static async Task<List<(string Name, string Service)>> CreateAsync(Kubernetes client, int serviceCount, int endpointCount, CancellationToken cancellationToken)
    {
        var created = new (string, string)[serviceCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, serviceCount), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var name = $"svc-{i}";
            await client.CoreV1.CreateNamespacedServiceAsync(
                new V1Service { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080 }] } },
                "default",
                cancellationToken: ct);
            var slice = await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(
                new V1EndpointSlice
                {
                    Metadata = new V1ObjectMeta { Name = name + "-bench", Labels = new Dictionary<string, string> { [ServiceLabels.ServiceName] = name } },
                    AddressType = "IPv4",
                    Ports = [new Discoveryv1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
                    Endpoints = [.. Enumerable.Range(0, endpointCount).Select(e => new V1Endpoint { Addresses = [Address((i * endpointCount) + e)], Conditions = new V1EndpointConditions { Ready = true }, NodeName = "bench" })],
                },
                "default",
                cancellationToken: ct);
            created[i] = (slice.Metadata.Name, name);
        });
        return [.. created];
    }

    /// <summary>How many syncs the proxy made and their total seconds (its /metrics).</summary>
    private static async Task<(long Count, double Seconds)> SyncsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var lines = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cancellationToken)).Split('\n');
        double Value(string name) => double.Parse(lines.Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return ((long)Value("kubeproxy_sync_proxy_rules_duration_seconds_count"), Value("kubeproxy_sync_proxy_rules_duration_seconds_sum"));
    }

    /// <summary>The k-th pod address of 10.42.0.0/16.</summary>
    private static string Address(int k) => $"10.42.{k / 250}.{(k % 250) + 1}";

    private static async Task<int> CountAsync(IptablesRunner iptables, string prefix, CancellationToken cancellationToken) =>
        (await iptables.RunAsync("iptables-save", ["-t", "nat"], null, cancellationToken)).Output.Split('\n').Count(l => l.StartsWith(":" + prefix, StringComparison.Ordinal));

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {errors}");
        }
    }
}
