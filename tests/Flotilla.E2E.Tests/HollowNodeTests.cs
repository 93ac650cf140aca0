namespace Flotilla.E2E.Tests;

/// <summary>
/// <c>./flotilla up --runtime hollow --nodes 3</c> with the real kubectl: three simulated nodes register, heart-beat
/// and are Ready with their pod subnets, and a Deployment's pods run on them (simulated containers).
/// </summary>
public sealed class HollowNodeTests : IAsyncDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "flotilla-hollow-" + Guid.NewGuid().ToString("N")[..12]);

    public async ValueTask DisposeAsync()
    {
        await FlotillaProcess.RunAsync("reset", "--data-dir", _dataDir);
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task ThreeHollowNodes_AreReady_AndRunADeployment()
    {
        await using var up = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0", "--runtime", "hollow", "--nodes", "3");
        await up.WaitForKubeconfigServerAsync(Path.Combine(_dataDir, "kubeconfig"));

        var nodes = await WaitForAsync(() => KubectlOkAsync("get", "nodes", "-o", "custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type==\"Ready\")].status,CIDR:.spec.podCIDR,RUNTIME:.status.nodeInfo.containerRuntimeVersion", "--no-headers"),
            v => v.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.Contains(" True ", StringComparison.Ordinal) && l.Contains("10.42.", StringComparison.Ordinal)) == 3);
        Assert.Matches(@"hollow-0\s+True\s+10\.42\.\d+\.0/24\s+hollow://0\.1\.0", nodes);
        Assert.Contains("hollow-2", nodes, StringComparison.Ordinal);
        Assert.Equal("hollow-0 hollow-1 hollow-2", await KubectlOkAsync("get", "leases", "-n", "kube-node-lease", "-o", "jsonpath={.items[*].spec.holderIdentity}"));
        Assert.Equal("hollow", await KubectlOkAsync("get", "node", "hollow-1", "-o", "jsonpath={.metadata.labels.flotilla\\.dev/runtime}"));

        await WaitForAsync(() => KubectlOkAsync("get", "serviceaccount", "default", "-o", "name", "--ignore-not-found"), v => v.Length > 0);
        await KubectlOkAsync("create", "deployment", "web", "--image=busybox:1.35", "--replicas=3");
        Assert.Contains("successfully rolled out", await KubectlOkAsync("rollout", "status", "deployment/web", "--timeout=60s"), StringComparison.Ordinal);
        var pods = await KubectlOkAsync("get", "pods", "-l", "app=web", "-o", "wide", "--no-headers");
        var lines = pods.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^web-\S+\s+1/1\s+Running\s+0\s+\S+\s+10\.42\.\d+\.\d+\s+hollow-\d", l));

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private async Task<string> KubectlOkAsync(params string[] args)
    {
        var (code, stdout, stderr) = await FlotillaProcess.KubectlAsync(_dataDir, null, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout.Trim();
    }

    private static async Task<string> WaitForAsync(Func<Task<string>> read, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string value;
        while (!done(value = await read()))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached in 60 s; last: {value}");
            await Task.Delay(250);
        }

        return value;
    }
}
