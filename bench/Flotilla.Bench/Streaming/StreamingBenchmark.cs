using System.CommandLine;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Flotilla.Controllers;
using k8s;
using k8s.Models;

namespace Flotilla.Bench.Streaming;

/// <summary>
/// <c>streaming</c> (exec on a real node): the control plane in this process and the real node of
/// <c>up --runtime containerd</c>; a busybox pod, then N sequential <c>exec -- true</c> round trips (WebSocket
/// <c>v5.channel.k8s.io</c>, as kubectl, through the API server to the kubelet, SPDY from the kubelet to containerd's streaming
/// server, each a new session) and one exec that writes M MiB to stdout, read to the end.
/// </summary>
public static class StreamingBenchmark
{
    public static Command Command()
    {
        var execs = new Option<int>("--execs") { Description = "Sequential exec round trips", DefaultValueFactory = _ => 50 };
        var mebibytes = new Option<int>("--mebibytes") { Description = "MiB streamed from one exec's stdout", DefaultValueFactory = _ => 256 };
        var command = new Command("streaming", "exec on a real containerd node: round trip p50/p99, stdout MiB/s") { execs, mebibytes };
        command.SetAction((parsed, cancellationToken) => RunAsync(parsed.GetValue(execs), parsed.GetValue(mebibytes), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int execs, int mebibytes, CancellationToken cancellationToken)
    {
        await using var plane = await LocalControlPlane.StartAsync("streaming", new ControllerManagerOptions(), cancellationToken);
        var admin = plane.Admin;
        await using (await RealNode.StartAsync(plane, cancellationToken))
        {
            await admin.CoreV1.CreateNamespacedPodAsync(
                new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = "shell" },
                    Spec = new V1PodSpec { TerminationGracePeriodSeconds = 0, Containers = [new V1Container { Name = "c", Image = "busybox:1.35", Command = ["sleep", "3600"] }] },
                },
                "default",
                cancellationToken: cancellationToken);
            await RealNode.UntilAsync(async () => (await admin.CoreV1.ReadNamespacedPodAsync("shell", "default", cancellationToken: cancellationToken)).Status?.Phase == "Running", "the pod Running", cancellationToken);
            await ExecAsync(plane, ["true"], cancellationToken);

            var latencies = new double[execs];
            for (var i = 0; i < execs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await ExecAsync(plane, ["true"], cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Array.Sort(latencies);
            var clock = Stopwatch.StartNew();
            var bytes = await ExecAsync(plane, ["head", "-c", $"{mebibytes}m", "/dev/zero"], cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            if (bytes != mebibytes * (1L << 20))
            {
                throw new InvalidOperationException($"read {bytes} bytes of {mebibytes} MiB");
            }

            var report = new Report();
            report.Row($"{execs} sequential exec -- true, round trip p50", Report.Format(Report.Percentile(latencies, 0.50), "ms"));
            report.Row("exec round trip p99", Report.Format(Report.Percentile(latencies, 0.99), "ms"));
            report.Row($"{mebibytes} MiB from one exec's stdout", Report.Format(mebibytes / seconds, "MiB/s"));
            report.Figure("execs", execs);
            report.Figure("exec_p50_ms", Report.Percentile(latencies, 0.50));
            report.Figure("exec_p99_ms", Report.Percentile(latencies, 0.99));
            report.Figure("stdout_mib_per_s", mebibytes / seconds);
            report.Print("metric", "result");
            await admin.CoreV1.DeleteNamespacedPodAsync("shell", "default", new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: cancellationToken);
        }

        return 0;
    }

    /// <summary>
    /// One exec session as kubectl 1.30+ opens it (a WebSocket, <c>v5.channel.k8s.io</c>, the admin's certificate):
    /// the bytes its stdout carried; a Status other than Success fails the benchmark.
    /// </summary>
    private static async Task<long> ExecAsync(LocalControlPlane plane, string[] command, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v5.channel.k8s.io");
        var pki = plane.Server.Pki!;
        socket.Options.ClientCertificates.Add(pki.Admin);
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.Issuer == pki.Ca.Subject;
        var query = string.Join('&', command.Select(c => "command=" + Uri.EscapeDataString(c)));
        var uri = new UriBuilder(new Uri(plane.Server.Address, $"/api/v1/namespaces/default/pods/shell/exec?container=c&stdout=true&{query}")) { Scheme = "wss" }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        var buffer = new byte[64 * 1024];
        long read = 0;
        var status = new StringBuilder();
        var channel = -1;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            // The first byte of a message names its channel: 1 stdout, 3 the Status.
            var from = 0;
            if (channel < 0)
            {
                channel = buffer[0];
                from = 1;
            }

            if (channel == 1)
            {
                read += result.Count - from;
            }
            else if (channel == 3)
            {
                status.Append(Encoding.UTF8.GetString(buffer, from, result.Count - from));
            }

            channel = result.EndOfMessage ? -1 : channel;
        }

        return status.ToString().Contains("\"status\":\"Success\"", StringComparison.Ordinal)
            ? read
            : throw new InvalidOperationException($"exec {string.Join(' ', command)}: {status}");
    }
}
