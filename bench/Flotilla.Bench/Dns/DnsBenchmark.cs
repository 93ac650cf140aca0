using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Flotilla.Dns;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench.Dns;

/// <summary>
/// <c>dns</c>: an API server in this process with S Services, and the cluster DNS answering on 127.0.0.1. C clients,
/// each with its own UDP socket, ask for random services' A records one after the other for D seconds (every answer
/// checked: NOERROR with the service's one address); queries/s and latency percentiles are over all of them. Then N
/// new services are timed from the create request until the DNS answers for them (zone rebuilt from the informers).
/// Clients and server share this machine's cores.
/// </summary>
public static class DnsBenchmark
{
    public static Command Command()
    {
        var services = new Option<int>("--services") { Description = "Services in the zone", DefaultValueFactory = _ => 10_000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients, one query in flight each", DefaultValueFactory = _ => 16 };
        var seconds = new Option<int>("--seconds") { Description = "How long the clients ask", DefaultValueFactory = _ => 10 };
        var changes = new Option<int>("--changes") { Description = "New services timed until they resolve", DefaultValueFactory = _ => 20 };
        var command = new Command("dns", "cluster DNS: queries/s and latency with S services, and new service to answer") { services, clients, seconds, changes };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(services), parsed.GetValue(clients), parsed.GetValue(seconds), parsed.GetValue(changes), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int serviceCount, int clientCount, int seconds, int changes, CancellationToken cancellationToken)
    {
        await using var server = await LocalApiServer.StartAsync("dns", cancellationToken);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Address.ToString() });
        Console.Error.WriteLine($"dns: creating {serviceCount} services");
        var addresses = new string[serviceCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, serviceCount), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            addresses[i] = (await CreateAsync(client, $"svc-{i}", ct)).Spec.ClusterIP);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listen = new IPEndPoint(IPAddress.Loopback, FreePort());
        var started = new TaskCompletionSource<IPEndPoint>();
        var clock = Stopwatch.StartNew();
        var dns = ClusterDnsHost.RunAsync(client, new ClusterDnsOptions { Listen = listen }, NullLoggerFactory.Instance, TimeProvider.System, stop.Token, started.SetResult);
        await started.Task.WaitAsync(cancellationToken);
        var ready = clock.Elapsed.TotalSeconds;

        Console.Error.WriteLine($"dns: serving after {ready:F2} s; {clientCount} clients for {seconds} s");
        var latencies = new List<double>[clientCount];
        var failures = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clientCount).Select(c => Task.Run(
            async () =>
            {
                var mine = latencies[c] = [];
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                await socket.ConnectAsync(listen, cancellationToken);
                var random = new Random(c);
                var buffer = new byte[512];
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    var i = random.Next(serviceCount);
                    var id = (ushort)random.Next(ushort.MaxValue);
                    var query = Query(id, $"svc-{i}.default.svc.cluster.local");
                    var start = Stopwatch.GetTimestamp();
                    await socket.SendAsync(query, cancellationToken);
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    wait.CancelAfter(TimeSpan.FromSeconds(2));
                    try
                    {
                        var length = await socket.ReceiveAsync(buffer, wait.Token);
                        mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        if (!Answers(buffer.AsSpan(0, length), id, addresses[i]))
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            },
            cancellationToken)));
        var all = latencies.SelectMany(l => l).Order().ToArray();

        Console.Error.WriteLine($"dns: timing {changes} new services");
        var changeMs = new double[changes];
        using var ask = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await ask.ConnectAsync(listen, cancellationToken);
        for (var n = 0; n < changes; n++)
        {
            var start = Stopwatch.GetTimestamp();
            var address = (await CreateAsync(client, $"new-{n}", cancellationToken)).Spec.ClusterIP;
            var buffer = new byte[512];
            while (true)
            {
                await ask.SendAsync(Query((ushort)n, $"new-{n}.default.svc.cluster.local"), cancellationToken);
                var length = await ask.ReceiveAsync(buffer, cancellationToken);
                if (Answers(buffer.AsSpan(0, length), (ushort)n, address))
                {
                    break;
                }

                await Task.Delay(2, cancellationToken);
            }

            changeMs[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(changeMs);
        await stop.CancelAsync();
        await dns;

        var report = new Report();
        report.Row($"{serviceCount} services: serving after start (informers synced, zone built)", Report.Format(ready, "s"));
        report.Row($"{clientCount} UDP clients for {seconds} s: queries", all.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        report.Row("queries/s", Report.Format(all.Length / (double)seconds, "q/s"));
        report.Row("latency p50", Report.Format(Report.Percentile(all, 0.50), "ms"));
        report.Row("latency p99", Report.Format(Report.Percentile(all, 0.99), "ms"));
        report.Row("wrong or missing answers", failures.ToString(System.Globalization.CultureInfo.InvariantCulture));
        report.Row($"{changes} new services: create to answer p50", Report.Format(Report.Percentile(changeMs, 0.50), "ms"));
        report.Row("create to answer p99", Report.Format(Report.Percentile(changeMs, 0.99), "ms"));
        report.Figure("services", serviceCount);
        report.Figure("clients", clientCount);
        report.Figure("ready_s", ready);
        report.Figure("queries_per_s", all.Length / (double)seconds);
        report.Figure("p50_ms", Report.Percentile(all, 0.50));
        report.Figure("p99_ms", Report.Percentile(all, 0.99));
        report.Figure("failures", failures);
        report.Figure("change_p50_ms", Report.Percentile(changeMs, 0.50));
        report.Figure("change_p99_ms", Report.Percentile(changeMs, 0.99));
        report.Print("metric", "result");
        return failures == 0 ? 0 : 1;
    }

    private static Task<V1Service> CreateAsync(Kubernetes client, string name, CancellationToken cancellationToken) =>
        client.CoreV1.CreateNamespacedServiceAsync(
            new V1Service { Metadata = new V1ObjectMeta { Name = name }, Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80 }] } },
            "default",
            cancellationToken: cancellationToken);

    /// <summary>An RFC 1035 query: header (recursion desired, one question), the name's labels, type A, class IN.</summary>
    private static byte[] Query(ushort id, string name)
    {
        var bytes = new List<byte>(64);
        bytes.AddRange([(byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        foreach (var label in name.Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.AddRange([0, 0, 1, 0, 1]);
        return [.. bytes];
    }

    /// <summary>Whether <paramref name="response"/> answers query <paramref name="id"/> with NOERROR and its last record's address is <paramref name="address"/>.</summary>
    private static bool Answers(ReadOnlySpan<byte> response, ushort id, string address) =>
        response.Length > 16
        && BinaryPrimitives.ReadUInt16BigEndian(response) == id
        && (response[3] & 0x0F) == 0
        && BinaryPrimitives.ReadUInt16BigEndian(response[6..]) == 1
        && new IPAddress(response[^4..]).ToString() == address;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
