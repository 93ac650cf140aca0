using System.Diagnostics;
using System.Text.RegularExpressions;
using Flotilla.Tests.Shared;

namespace Flotilla.E2E.Tests;

/// <summary>
/// The real kubectl's verbs that reach a real node's kubelet (<c>up</c>, one real node by default): exec (WebSocket, and
/// SPDY as older kubectls speak it), a terminal, cp both ways, attach through <c>run -i</c>, and port-forward
/// (SPDY tunnelled in a WebSocket, and plain SPDY), each through the API server to the kubelet to containerd; and
/// <c>top</c>, from the kubelet's readings through the built-in metrics server; and a pull from a registry that
/// wants the pod's pull secret, and <c>flotilla images import</c>.
/// </summary>
[Collection(RealNodes.Name)]
public sealed class RealNodeKubectlTests() : OwnClusterTest("kubectl")
{
    private static readonly Dictionary<string, string> WebSockets = new() { ["KUBECTL_REMOTE_COMMAND_WEBSOCKETS"] = "true", ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = "true" };
    private static readonly Dictionary<string, string> Spdy = new() { ["KUBECTL_REMOTE_COMMAND_WEBSOCKETS"] = "false", ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = "false" };

    [Fact]
    public async Task Exec_Cp_Attach_PortForward_AndTop_ReachRealContainers()
    {
        await using var up = await UpAsync();
        await KubectlOkAsync("run", "box", "--image=busybox:1.35", "--restart=Never", "--", "sh", "-c", "echo served > /tmp/index.html; exec httpd -f -p 127.0.0.1:8080 -h /tmp");
        await KubectlOkAsync("wait", "--for=condition=Ready", "pod/box", "--timeout=90s");

        foreach (var protocol in new[] { WebSockets, Spdy })
        {
            // stdin to its end, stdout and stderr apart, the exit code.
            var (code, stdout, stderr) = await FlotillaProcess.KubectlAsync(DataDir, "piped\n", protocol, "exec", "-i", "box", "--", "sh", "-c", "cat; echo oops >&2; exit 3");
            Assert.True(code == 3, $"exit {code}: {stderr}");
            Assert.Equal("piped\n", stdout);
            Assert.StartsWith("oops\n", stderr, StringComparison.Ordinal);

            // Only localhost in the pod listens: the forward reaches it there.
            using var forward = FlotillaProcess.StartKubectl(DataDir, protocol, "port-forward", "pod/box", ":8080");
            try
            {
                var port = await LocalPortAsync(forward);
                using var http = new HttpClient();
                Assert.Equal("served\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html")));
                Assert.Equal("served\n", await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/index.html")));
            }
            finally
            {
                forward.Kill();
                await forward.WaitForExitAsync();
            }
        }

        // cp there and back (tar through exec, stdin closed at its end).
        var file = Path.Combine(DataDir, "cp-in.txt");
        await File.WriteAllTextAsync(file, "copied in\n");
        await KubectlOkAsync("cp", file, "box:/tmp/cp.txt");
        Assert.Equal("copied in", await KubectlOkAsync("exec", "box", "--", "cat", "/tmp/cp.txt"));
        await KubectlOkAsync("cp", "box:/tmp/cp.txt", Path.Combine(DataDir, "cp-out.txt"));
        Assert.Equal("copied in\n", await File.ReadAllTextAsync(Path.Combine(DataDir, "cp-out.txt")));

        // A terminal of the size kubectl's terminal has (its stdin held open meanwhile: a closed one hangs the terminal
        // up). kubectl sends the size as the command starts, so the command looks a moment later, as a shell user would.
        var tty = await RunAsync("sh", "-c", $"sleep 5 | script -qec \"stty cols 100 rows 30; kubectl --kubeconfig {DataDir}/kubeconfig exec -it box -- sh -c 'tty; sleep 1; stty size'\" /dev/null");
        Assert.Matches(@"/dev/pts/\d+\r?\n30 100", tty);

        // attach, as run -i does it: the container's stdin is open, its output comes back, then it is deleted.
        var (runCode, runOut, runErr) = await FlotillaProcess.KubectlAsync(DataDir, "value\n", "run", "once", "-i", "--rm", "--restart=Never", "--image=busybox:1.35", "--", "sh", "-c", "read x; echo got $x");
        Assert.True(runCode == 0, runErr);
        Assert.Contains("got value", runOut, StringComparison.Ordinal);

        // Refusals, as upstream words them.
        var missing = await FlotillaProcess.KubectlAsync(DataDir, null, "exec", "box", "-c", "nope", "--", "true");
        Assert.Contains("container nope is not valid for pod box", missing.Stderr, StringComparison.Ordinal);
        var (_, _, notForwarded) = await FlotillaProcess.KubectlAsync(DataDir, null, Spdy, "exec", "box", "--", "cat", "/nope");
        Assert.Contains("No such file or directory", notForwarded, StringComparison.Ordinal);

        // top: the metrics server has read the kubelet twice (every 15 s) once the pod shows; a busy loop uses about a core.
        await KubectlOkAsync("run", "spin", "--image=busybox:1.35", "--restart=Never", "--", "sh", "-c", "while true; do :; done");
        var spin = await WaitForAsync(async () => (await FlotillaProcess.KubectlAsync(DataDir, null, "top", "pod", "spin", "--no-headers")).Stdout, v => v.StartsWith("spin", StringComparison.Ordinal));
        var millicores = int.Parse(Regex.Match(spin, @"^spin\s+(\d+)m\s+\d+Mi\s*$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(millicores, 300, 1100);
        Assert.Matches(@"^\S+\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$", await WaitForAsync(async () => (await FlotillaProcess.KubectlAsync(DataDir, null, "top", "node", "--no-headers")).Stdout.Trim(), v => v.Length > 0));
        Assert.Contains("box", await KubectlOkAsync("top", "pod", "-A", "--containers"), StringComparison.Ordinal);

        // A registry that wants a login (docker-registry with htpasswd on 127.0.0.1): the pull is refused without the
        // pod's pull secret and works with it, pulled again as Always says.
        await using var registry = await LocalRegistry.StartAsync();
        var busybox = Path.Combine(FlotillaProcess.ImagesDir, "busybox-1.35.tar");
        await registry.PushAsync(busybox, "1.35", "private/busybox");
        var image = $"{registry.Host}/private/busybox:1.35";
        await KubectlOkAsync("create", "secret", "docker-registry", "regcred", $"--docker-server={registry.Host}", $"--docker-username={LocalRegistry.User}", $"--docker-password={LocalRegistry.Password}");
        await KubectlOkAsync("run", "denied", $"--image={image}", "--restart=Never", "--image-pull-policy=Always", "--", "sleep", "3600");
        Assert.Matches("^(ErrImagePull|ImagePullBackOff)$", await WaitForAsync(() => KubectlOkAsync("get", "pod", "denied", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"), v => v is "ErrImagePull" or "ImagePullBackOff"));
        Assert.Contains("401 Unauthorized", await KubectlOkAsync("get", "events", "--field-selector", "involvedObject.name=denied,reason=Failed", "-o", "jsonpath={.items[*].message}"), StringComparison.Ordinal);
        await KubectlOkAsync("run", "private", $"--image={image}", "--restart=Never", "--image-pull-policy=Always", "--overrides={\"spec\":{\"imagePullSecrets\":[{\"name\":\"regcred\"}]}}", "--", "sleep", "3600");
        await KubectlOkAsync("wait", "--for=condition=Ready", "pod/private", "--timeout=90s");

        // flotilla images import: an archive under a new name, imported into the running node at once (and kept for its next start).
        var (imported, _, importErrors) = await FlotillaProcess.RunAsync("images", "import", busybox, "--name", "example.com/mirror/busybox:9", "--data-dir", DataDir);
        Assert.True(imported == 0, importErrors);
        Assert.Equal("example.com/mirror/busybox:9\n", await File.ReadAllTextAsync(Path.Combine(DataDir, "images", "busybox-1.35.tar.name")));
        await KubectlOkAsync("run", "imported", "--image=example.com/mirror/busybox:9", "--restart=Never", "--image-pull-policy=Never", "--", "sleep", "3600");
        await KubectlOkAsync("wait", "--for=condition=Ready", "pod/imported", "--timeout=60s");
    }

    /// <summary>The local port kubectl port-forward chose, from its "Forwarding from 127.0.0.1:N -> 8080".</summary>
    private static async Task<int> LocalPortAsync(Process forward)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await forward.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (Regex.Match(line, @"^Forwarding from 127\.0\.0\.1:(\d+) ->") is { Success: true } match)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"kubectl port-forward ended: {await forward.StandardError.ReadToEndAsync()}");
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
