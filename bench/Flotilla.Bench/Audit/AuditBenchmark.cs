using System.CommandLine;
using System.Diagnostics;
using System.Net;
using Flotilla.ApiServer;
using Flotilla.ApiServer.Audit;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Http;
using Flotilla.Bench.ApiServer;
using Flotilla.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench.Audit;

/// <summary>
/// <c>audit</c>: what the audit log costs a request. In process, the audit filter around a handler that answers a
/// 1 KiB object, with events written to a real file (none, Metadata, RequestResponse); the background writer alone;
/// then over HTTP, GETs against the API server with the audit log off and on (Flotilla's default policy), interleaved.
/// </summary>
public static class AuditBenchmark
{
    private static readonly byte[] Pod = System.Text.Encoding.UTF8.GetBytes(
        "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"uid\":\"5f0c1c2e-6f1e-4d5e-9a39-3c1c9e0e7a11\",\"resourceVersion\":\"4711\",\"labels\":{\"app\":\"web\"}}," +
        "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"busybox:1.35\",\"command\":[\"sleep\",\"3600\"],\"resources\":{}}],\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":30," +
        "\"dnsPolicy\":\"ClusterFirst\",\"serviceAccountName\":\"default\",\"nodeName\":\"node-1\",\"schedulerName\":\"default-scheduler\"},\"status\":{\"phase\":\"Running\",\"podIP\":\"10.42.0.17\"," +
        "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],\"containerStatuses\":[{\"name\":\"web\",\"ready\":true,\"restartCount\":0,\"image\":\"busybox:1.35\",\"started\":true}]}}" +
        new string(' ', 200));

    public static Command Command()
    {
        var requests = new Option<int>("--requests") { Description = "Requests through the filter per level, in process", DefaultValueFactory = _ => 200_000 };
        var httpRequests = new Option<int>("--http-requests") { Description = "HTTP GETs per round (3 rounds with the log off, 3 on, interleaved)", DefaultValueFactory = _ => 20_000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients", DefaultValueFactory = _ => 16 };
        var command = new Command("audit", "Audit log overhead per request: the filter in process, and HTTP GETs with the log off and on") { requests, httpRequests, clients };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(requests), parsed.GetValue(httpRequests), parsed.GetValue(clients), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int requests, int httpRequests, int clients, CancellationToken cancellationToken)
    {
        var dir = Directory.CreateTempSubdirectory("flotilla-bench-audit-");
        try
        {
            var report = new Report();
            var baseline = await InProcessAsync(null, requests, dir.FullName);
            var metadata = await InProcessAsync(AuditLevel.Metadata, requests, dir.FullName);
            var full = await InProcessAsync(AuditLevel.RequestResponse, requests, dir.FullName);
            foreach (var (name, key, run) in new[] { ("no audit", "none", baseline), ("Metadata", "metadata", metadata), ("RequestResponse (1 KiB object)", "request_response", full) })
            {
                report.Row($"filter + handler, {name}", $"p50 {run.P50:F2} µs, p99 {run.P99:F2} µs; CPU {run.CpuPerRequest:F2} µs/request");
                report.Figure($"{key}_p50_us", run.P50);
                report.Figure($"{key}_p99_us", run.P99);
                report.Figure($"{key}_cpu_us", run.CpuPerRequest);
            }

            report.Figure("metadata_overhead_p50_us", metadata.P50 - baseline.P50);
            report.Figure("metadata_overhead_cpu_us", metadata.CpuPerRequest - baseline.CpuPerRequest);
            report.Figure("request_response_overhead_p50_us", full.P50 - baseline.P50);
            report.Figure("request_response_overhead_cpu_us", full.CpuPerRequest - baseline.CpuPerRequest);
            var (linesPerSecond, mibPerSecond) = await WriterAsync(dir.FullName);
            report.Row("audit log writer alone (608-byte lines to a file)", $"{linesPerSecond:N0} lines/s, {mibPerSecond:N0} MiB/s");
            report.Figure("writer_lines_per_s", linesPerSecond);

            var off = new List<double>();
            var on = new List<double>();
            for (var round = 0; round < 3; round++)
            {
                off.Add(await HttpAsync(audit: false, httpRequests, clients, dir.FullName, cancellationToken));
                on.Add(await HttpAsync(audit: true, httpRequests, clients, dir.FullName, cancellationToken));
            }

            report.Row($"HTTP GET, {clients} clients, audit log off", $"{off.Max():N0} /s (rounds: {string.Join(", ", off.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))})");
            report.Row($"HTTP GET, {clients} clients, audit log on", $"{on.Max():N0} /s (rounds: {string.Join(", ", on.Select(r => r.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)))})");
            report.Figure("http_off_gets_per_s", off.Max());
            report.Figure("http_on_gets_per_s", on.Max());
            report.Figure("http_on_off_ratio", on.Max() / off.Max());
            report.Print("metric", "result");
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private sealed record InProcessRun(double P50, double P99, double CpuPerRequest);

    /// <summary>The filter (or nothing) around a handler answering <see cref="Pod"/>, one request at a time.</summary>
    private static async Task<InProcessRun> InProcessAsync(AuditLevel? level, int requests, string dir)
    {
        var time = TimeProvider.System;
        var log = level is null ? null : AuditLog.Open(Path.Combine(dir, $"inprocess-{level}.log"), 100L * 1024 * 1024, 3, time, NullLogger.Instance);
        var filter = log is null ? null : new AuditFilter(new AuditPolicyChecker(level == AuditLevel.Metadata ? DefaultAuditPolicy.Policy : new AuditPolicy { Rules = [new() { Level = level!.Value }] }), log, time);
        var user = new UserInfo("admin", ["system:masters", "system:authenticated"]);
        var samples = new double[requests];
        var warmup = Math.Min(10_000, requests);
        var cpu = TimeSpan.Zero;
        for (var i = -warmup; i < requests; i++)
        {
            if (i == 0)
            {
                cpu = Process.GetCurrentProcess().TotalProcessorTime;
            }

            var context = new DefaultHttpContext();
            context.Request.Method = "GET";
            context.Request.Path = "/api/v1/namespaces/default/pods/web";
            context.Request.Headers.UserAgent = "kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07";
            context.Connection.RemoteIpAddress = IPAddress.Loopback;
            context.Items[AuthenticationFilter.UserItem] = user;
            context.Response.Body = Stream.Null;
            var t0 = Stopwatch.GetTimestamp();
            if (filter is null)
            {
                await ApiResponse.WriteJsonAsync(context, 200, Pod);
            }
            else
            {
                AuditContext.Init(context, time);
                await filter.InvokeAsync(context, () => ApiResponse.WriteJsonAsync(context, 200, Pod));
            }

            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
        }

        if (log is not null)
        {
            await log.DisposeAsync();
        }

        // Every thread's CPU, the writer's and the collector's included, until the last line is in the file.
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Array.Sort(samples);
        return new InProcessRun(samples[requests / 2], samples[(int)(requests * 0.99)], cpu.TotalMicroseconds / requests);
    }

    /// <summary>The background writer on its own: lines queued as fast as they go, until all are in the file.</summary>
    private static async Task<(double LinesPerSecond, double MibPerSecond)> WriterAsync(string dir)
    {
        const int Lines = 500_000;
        var line = new byte[608];
        Array.Fill(line, (byte)'x');
        line[^1] = (byte)'\n';
        var log = AuditLog.Open(Path.Combine(dir, "writer.log"), 1024L * 1024 * 1024, 1, TimeProvider.System, NullLogger.Instance);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Lines; i++)
        {
            await log.PostAsync(AuditLine.Copy(line));
        }

        await log.DisposeAsync();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (Lines / seconds, Lines * (double)line.Length / (1024 * 1024) / seconds);
    }

    /// <summary>GETs of one namespace from <paramref name="clients"/> tasks against a fresh server; GETs per second.</summary>
    private static async Task<double> HttpAsync(bool audit, int requests, int clients, string dir, CancellationToken cancellationToken)
    {
        var run = Directory.CreateDirectory(Path.Combine(dir, "http-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(run, "state.db") });
        var app = ApiServerHost.Build(new ApiServerOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), AuditLogPath = audit ? Path.Combine(run, "audit.log") : null }, store);
        var disposed = false;
        try
        {
            await app.StartAsync(cancellationToken);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            await ApiServerHost.BootstrapAsync(app, new IPEndPoint(IPAddress.Loopback, address.Port), cancellationToken);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = address };
            var latencies = new LatencyRecorder();
            var next = -Math.Min(2_000, requests);
            var started = 0L;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
            {
                int n;
                while ((n = Interlocked.Increment(ref next)) <= requests)
                {
                    if (n == 0)
                    {
                        Interlocked.Exchange(ref started, Stopwatch.GetTimestamp());
                    }

                    var t0 = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync("/api/v1/namespaces/default", cancellationToken);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (n > 0)
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(t0));
                    }
                }
            }, cancellationToken)));
            var perSecond = requests / Stopwatch.GetElapsedTime(Interlocked.Read(ref started)).TotalSeconds;
            Console.WriteLine($"http: audit {(audit ? "on " : "off")}: {perSecond:N0} GETs/s, p50 {latencies.Percentile(0.5):F2} ms, p99 {latencies.Percentile(0.99):F2} ms");
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            disposed = true;

            // Disposing the server drained its audit log: every GET is in it.
            return audit && File.ReadLines(Path.Combine(run, "audit.log")).Count() < requests
                ? throw new InvalidOperationException("the audit log lacks events")
                : perSecond;
        }
        finally
        {
            if (!disposed)
            {
                await app.DisposeAsync();
            }

            await store.DisposeAsync();
        }
    }
}
