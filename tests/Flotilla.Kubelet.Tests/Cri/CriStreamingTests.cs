using System.Text;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Streaming;
using Flotilla.Kubelet.Streaming.Spdy;

namespace Flotilla.Kubelet.Tests.Cri;

/// <summary>The kubelet's SPDY client against containerd's real streaming server: exec with stdin to its end, and port-forward into a pod's own localhost.</summary>
public sealed class CriStreamingTests(ContainerdNode node) : IClassFixture<ContainerdNode>
{
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task AnExecSession_CarriesStdinToItsEnd_ItsOutput_AndItsExitStatus()
    {
        var (sandbox, container) = await RunAsync("sleep 3600");
        try
        {
            var url = await node.Runtime.StreamUrlAsync(new StreamRequest(StreamKind.Exec, container) { Command = ["sh", "-c", "cat; echo oops >&2; exit 3"], Stdin = true, Stdout = true, Stderr = true }, _ct);
            await using var session = await RuntimeStreams.ConnectAsync(url, ChannelExec.V4, _ct);
            var error = await session.OpenStreamAsync([new("streamType", "error")], _ct);
            var stdin = await session.OpenStreamAsync([new("streamType", "stdin")], _ct);
            var stdout = await session.OpenStreamAsync([new("streamType", "stdout")], _ct);
            var stderr = await session.OpenStreamAsync([new("streamType", "stderr")], _ct);
            await stdin.WriteAsync("to the end\n"u8.ToArray(), _ct);
            await stdin.CloseWriteAsync(_ct);

            Assert.Equal("to the end\n", Encoding.UTF8.GetString(await stdout.ReadToEndAsync(_ct)));
            Assert.Equal("oops\n", Encoding.UTF8.GetString(await stderr.ReadToEndAsync(_ct)));
            var status = Encoding.UTF8.GetString(await error.ReadToEndAsync(_ct));
            Assert.Contains("\"reason\":\"NonZeroExitCode\"", status, StringComparison.Ordinal);
            Assert.Contains("{\"reason\":\"ExitCode\",\"message\":\"3\"}", status, StringComparison.Ordinal);
        }
        finally
        {
            await node.Runtime.StopPodSandboxAsync(sandbox, _ct);
            await node.Runtime.RemovePodSandboxAsync(sandbox, _ct);
        }
    }

    [Fact]
    public async Task APortForwardSession_ReachesTheSandboxesLocalhost_AndTellsWhatItCannotReach()
    {
        var (sandbox, _) = await RunAsync("echo forwarded > /tmp/index.html; httpd -f -p 127.0.0.1:8080 -h /tmp");
        try
        {
            var url = await node.Runtime.StreamUrlAsync(new StreamRequest(StreamKind.PortForward, sandbox), _ct);
            await using var session = await RuntimeStreams.ConnectAsync(url, "portforward.k8s.io", _ct);
            var body = await Eventually(async () =>
            {
                var (error, data) = await PairAsync(session, 8080, 0);
                await data.WriteAsync("GET /index.html HTTP/1.0\r\n\r\n"u8.ToArray(), _ct);
                await data.CloseWriteAsync(_ct);
                var response = Encoding.UTF8.GetString(await data.ReadToEndAsync(_ct));
                return response + Encoding.UTF8.GetString(await error.ReadToEndAsync(_ct));
            });
            Assert.Matches(@"^HTTP/1\.[01] 200 OK\r\n", body);
            Assert.EndsWith("\r\n\r\nforwarded\n", body, StringComparison.Ordinal);

            // Nothing listens on 9: the error stream says so (kubectl prints it), the session stays usable.
            var (refusedError, refusedData) = await PairAsync(session, 9, 1);
            await refusedData.CloseWriteAsync(_ct);
            Assert.Contains("connection refused", Encoding.UTF8.GetString(await refusedError.ReadToEndAsync(_ct)), StringComparison.Ordinal);
        }
        finally
        {
            await node.Runtime.StopPodSandboxAsync(sandbox, _ct);
            await node.Runtime.RemovePodSandboxAsync(sandbox, _ct);
        }
    }

    /// <summary>client-go's pair for one forwarded connection: an error stream it half-closes at once, then the data stream.</summary>
    private async Task<(SpdyStream Error, SpdyStream Data)> PairAsync(SpdyConnection session, int port, int request)
    {
        List<KeyValuePair<string, string>> headers = [new("port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("requestID", request.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var error = await session.OpenStreamAsync([new("streamType", "error"), .. headers], _ct);
        await error.CloseWriteAsync(_ct);
        var data = await session.OpenStreamAsync([new("streamType", "data"), .. headers], _ct);
        return (error, data);
    }

    private async Task<(string Sandbox, string Container)> RunAsync(string script)
    {
        var sandbox = await node.Runtime.RunPodSandboxAsync(new PodSandboxConfig("stream", "default", Guid.NewGuid().ToString(), "stream", 0), _ct);
        var container = await node.Runtime.CreateContainerAsync(sandbox, new ContainerConfig("app", "busybox:1.35", ["sh", "-c", script], [], 0), _ct);
        await node.Runtime.StartContainerAsync(container, _ct);
        return (sandbox, container);
    }

    /// <summary>The server in the pod may not listen yet: asked again until it answers.</summary>
    private static async Task<string> Eventually(Func<Task<string>> ask)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var answer = await ask();
            if (answer.StartsWith("HTTP/", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }
}
