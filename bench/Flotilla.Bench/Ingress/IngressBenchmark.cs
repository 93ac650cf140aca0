using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Flotilla.Api.Services;
using Flotilla.Ingress;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench.Ingress;

/// <summary>
/// <c>ingress</c>: an API server in this process with I Ingresses (one host each) in front of two backends on
/// 127.0.0.1 (Kestrel, a 2-byte answer), and the ingress controller on 127.0.0.1. C clients with kept-alive
/// connections send GETs for D seconds, first to a backend directly, then through the ingress (random hosts): requests/s
/// and latency percentiles. Then N changes of one Ingress's backend are timed from the update request until the
/// answer comes from the other backend. Clients, controller and backends share the machine's cores.
/// </summary>
public static class IngressBenchmark
{
    public static Command Command()
    {
        var ingresses = new Option<int>("--ingresses") { Description = "Ingresses, one host each", DefaultValueFactory = _ => 1000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients", DefaultValueFactory = _ => 16 };
        var seconds = new Option<int>("--seconds") { Description = "How long each phase sends", DefaultValueFactory = _ => 10 };
        var changes = new Option<int>("--changes") { Description = "Ingress changes timed until they route", DefaultValueFactory = _ => 20 };
        var command = new Command("ingress", "ingress controller: requests/s and latency through it vs direct, and Ingress change to route") { ingresses, clients, seconds, changes };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(ingresses), parsed.GetValue(clients), parsed.GetValue(seconds), parsed.GetValue(changes), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int ingressCount, int clientCount, int seconds, int changes, CancellationToken cancellationToken)
    {
        await using var server = await LocalApiServer.StartAsync("ingress", cancellationToken);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Address.ToString() });
        await using var one = await StartBackendAsync("1", cancellationToken);
        await using var two = await StartBackendAsync("2", cancellationToken);
        await ServiceAsync(client, "one", one.Port, cancellationToken);
        await ServiceAsync(client, "two", two.Port, cancellationToken);
        Console.Error.WriteLine($"ingress: creating {ingressCount} ingresses");
        await Parallel.ForEachAsync(Enumerable.Range(0, ingressCount), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            await client.NetworkingV1.CreateNamespacedIngressAsync(Ingress(i, "one"), "default", cancellationToken: ct));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var httpPort = new TcpListener(IPAddress.Loopback, 0);
        using var httpsPort = new TcpListener(IPAddress.Loopback, 0);
        httpPort.Start();
        httpsPort.Start();
        var options = new IngressOptions { Http = (IPEndPoint)httpPort.LocalEndpoint, Https = (IPEndPoint)httpsPort.LocalEndpoint };
        httpPort.Stop();
        httpsPort.Stop();
        var started = new TaskCompletionSource<IngressServer>();
        var controller = IngressHost.RunAsync(client, options, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, started.SetResult);
        var ingress = await started.Task.WaitAsync(cancellationToken);

        Console.Error.WriteLine($"ingress: {clientCount} clients for {seconds} s, direct then through the ingress");
        var (direct, directFailures) = await LoadAsync(new IPEndPoint(IPAddress.Loopback, one.Port), _ => "backend", clientCount, seconds, cancellationToken);
        var (proxied, proxiedFailures) = await LoadAsync(ingress.Http, random => $"h{random.Next(ingressCount)}.example.test", clientCount, seconds, cancellationToken);

        Console.Error.WriteLine($"ingress: timing {changes} changes");
        var changeMs = new double[changes];
        using var http = new HttpClient();
        for (var n = 0; n < changes; n++)
        {
            var target = n % 2 == 0 ? "two" : "one";
            var start = Stopwatch.GetTimestamp();
            var current = await client.NetworkingV1.ReadNamespacedIngressAsync("ing-0", "default", cancellationToken: cancellationToken);
            current.Spec.Rules[0].Http.Paths[0].Backend.Service.Name = target;
            await client.NetworkingV1.ReplaceNamespacedIngressAsync(current, "ing-0", "default", cancellationToken: cancellationToken);
            while (await GetAsync(http, ingress.Http, "h0.example.test", cancellationToken) != (target == "two" ? "2" : "1"))
            {
                await Task.Delay(2, cancellationToken);
            }

            changeMs[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(changeMs);
        await stop.CancelAsync();
        await controller;

        var report = new Report();
        report.Row($"{clientCount} clients, direct to the backend: requests/s", Report.Format(direct.Length / (double)seconds, "req/s"));
        report.Row("direct p50 / p99", $"{Report.Format(Report.Percentile(direct, 0.50), "ms")} / {Report.Format(Report.Percentile(direct, 0.99), "ms")}");
        report.Row($"through the ingress ({ingressCount} ingresses): requests/s", Report.Format(proxied.Length / (double)seconds, "req/s"));
        report.Row("through the ingress p50 / p99", $"{Report.Format(Report.Percentile(proxied, 0.50), "ms")} / {Report.Format(Report.Percentile(proxied, 0.99), "ms")}");
        report.Row("failed requests (direct, ingress)", $"{directFailures}, {proxiedFailures}");
        report.Row($"{changes} Ingress changes: update to new route p50 / p99", $"{Report.Format(Report.Percentile(changeMs, 0.50), "ms")} / {Report.Format(Report.Percentile(changeMs, 0.99), "ms")}");
        report.Figure("ingresses", ingressCount);
        report.Figure("clients", clientCount);
        report.Figure("direct_per_s", direct.Length / (double)seconds);
        report.Figure("direct_p99_ms", Report.Percentile(direct, 0.99));
        report.Figure("ingress_per_s", proxied.Length / (double)seconds);
        report.Figure("ingress_p50_ms", Report.Percentile(proxied, 0.50));
        report.Figure("ingress_p99_ms", Report.Percentile(proxied, 0.99));
        report.Figure("failures", directFailures + proxiedFailures);
        report.Figure("change_p50_ms", Report.Percentile(changeMs, 0.50));
        report.Figure("change_p99_ms", Report.Percentile(changeMs, 0.99));
        report.Print("metric", "result");
        return directFailures + proxiedFailures == 0 ? 0 : 1;
    }

    /// <summary>C clients sending GETs to <paramref name="endpoint"/> with the host <paramref name="host"/> picks, for D seconds: sorted latencies and failures.</summary>
    private static async Task<(double[] Latencies, int Failures)> LoadAsync(IPEndPoint endpoint, Func<Random, string> host, int clientCount, int seconds, CancellationToken cancellationToken)
    {
        var latencies = new List<double>[clientCount];
        var failures = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clientCount).Select(c => Task.Run(
            async () =>
            {
                var mine = latencies[c] = [];
                var random = new Random(c);
                using var http = new HttpClient();
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    var start = Stopwatch.GetTimestamp();
                    var answer = await GetAsync(http, endpoint, host(random), cancellationToken);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (answer != "1")
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            },
            cancellationToken)));
        return ([.. latencies.SelectMany(l => l).Order()], failures);
    }

    private static async Task<string> GetAsync(HttpClient http, IPEndPoint endpoint, string host, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endpoint}/");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private static V1Ingress Ingress(int i, string service) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"ing-{i}" },
        Spec = new V1IngressSpec
        {
            IngressClassName = IngressOptions.ClassName,
            Rules =
            [
                new V1IngressRule
                {
                    Host = $"h{i}.example.test",
                    Http = new V1HTTPIngressRuleValue { Paths = [new V1HTTPIngressPath { Path = "/", PathType = "Prefix", Backend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = service, Port = new V1ServiceBackendPort { Number = 80 } } } }] },
                },
            ],
        },
    };

    private static async Task ServiceAsync(Kubernetes client, string name, int port, CancellationToken cancellationToken)
    {
        await client.CoreV1.CreateNamespacedServiceAsync(new V1Service { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80 }] } }, "default", cancellationToken: cancellationToken);
        await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(
            new V1EndpointSlice
            {
                Metadata = new V1ObjectMeta { Name = name + "-bench", Labels = new Dictionary<string, string> { [ServiceLabels.ServiceName] = name } },
                AddressType = "IPv4",
                Ports = [new Discoveryv1EndpointPort { Name = "http", Port = port, Protocol = "TCP" }],
                Endpoints = [new V1Endpoint { Addresses = ["127.0.0.1"], Conditions = new V1EndpointConditions { Ready = true } }],
            },
            "default",
            cancellationToken: cancellationToken);
    }

    /// <summary>A backend answering <paramref name="body"/> to everything.</summary>
    private static async Task<BackendServer> StartBackendAsync(string body, CancellationToken cancellationToken)
    {
        ListenOptions? listen = null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => listen = l));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(body, context.RequestAborted));
        await app.StartAsync(cancellationToken);
        return new BackendServer(app, listen!.IPEndPoint!.Port);
    }

    private sealed class BackendServer(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
