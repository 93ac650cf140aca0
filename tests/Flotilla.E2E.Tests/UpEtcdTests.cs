using System.Net;
using System.Net.Sockets;
using Flotilla.Storage.Etcd;

namespace Flotilla.E2E.Tests;

/// <summary><c>./flotilla up --store etcd</c> against a real etcd started by the test on 127.0.0.1.</summary>
public sealed class UpEtcdTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-up-etcd-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Up_WithEtcd_ServesAndIsReady()
    {
        await using var etcd = await EtcdProcess.StartAsync(Path.Combine(_dir, "etcd"));
        var dataDir = Path.Combine(_dir, "data");
        await using var up = FlotillaProcess.Start("up", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--store", "etcd", "--etcd-endpoints", etcd.ClientUrl, "--nodes", "0");

        var server = await up.WaitForKubeconfigServerAsync(Path.Combine(dataDir, "kubeconfig"));
        using var http = FlotillaProcess.HttpClientFor(dataDir, server);
        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
        Assert.False(File.Exists(Path.Combine(dataDir, "server", "db", "state.db")), "the etcd store must not create a SQLite file");

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Up_WithItsOwnThreeMemberEtcd_KeepsServingWithAMemberKilled_AndRestartsWithEveryWrite_EvenAfterBeingKilled()
    {
        var dataDir = Path.Combine(_dir, "data");
        var written = new List<string>();
        try
        {
            await using (var up = FlotillaProcess.Start("up", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--store", "etcd", "--nodes", "0"))
            {
                await up.WaitForKubeconfigServerAsync(Path.Combine(dataDir, "kubeconfig"));
                var members = (await HostCommand.RunAsync("pgrep", "-f", "--", $"--data-dir {dataDir}/etcd/member-")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(3, members.Length);
                await Eventually.KubectlOkAsync(dataDir, "create", "configmap", "before");
                written.Add("before");

                // One member dies (perhaps the leader): after an election the other two carry on.
                Assert.Equal(0, (await HostCommand.RunAsync("pkill", "-KILL", "-f", "--", $"--data-dir {dataDir}/etcd/member-2")).Code);
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (true)
                {
                    // A write in flight when the leader died times out; it may have been applied, so "exists" is done too.
                    var (code, _, stderr) = await FlotillaProcess.KubectlAsync(dataDir, null, "create", "configmap", "during");
                    if (code == 0 || stderr.Contains("already exists", StringComparison.Ordinal))
                    {
                        break;
                    }

                    Assert.True(DateTime.UtcNow < deadline, $"no write within 30 s of the member's death: {stderr}");
                    await Task.Delay(250);
                }

                written.Add("during");
                for (var i = 0; i < 5; i++)
                {
                    await Eventually.KubectlOkAsync(dataDir, "create", "configmap", $"after-{i}");
                    written.Add($"after-{i}");
                }

                up.Terminate();
                Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }

            Assert.Empty((await HostCommand.RunAsync("pgrep", "-f", "--", $"--data-dir {dataDir}/etcd/member-")).Output.Trim());
            File.Delete(Path.Combine(dataDir, "kubeconfig"));

            // Restarted, the killed member rejoins and every acknowledged write is there.
            await using (var again = FlotillaProcess.Start("up", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--store", "etcd", "--nodes", "0"))
            {
                await again.WaitForKubeconfigServerAsync(Path.Combine(dataDir, "kubeconfig"));
                var names = await Eventually.KubectlOkAsync(dataDir, "get", "configmaps", "-o", "jsonpath={.items[*].metadata.name}");
                Assert.All(written, w => Assert.Contains(w, names.Split(' ')));
                Assert.Equal(3, (await HostCommand.RunAsync("pgrep", "-f", "--", $"--data-dir {dataDir}/etcd/member-")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

                // Killed alone, the server leaves its etcd members running; the next start stops them and starts its own.
                await again.KillAloneAsync();
            }

            Assert.Equal(3, (await HostCommand.RunAsync("pgrep", "-f", "--", $"--data-dir {dataDir}/etcd/member-")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            File.Delete(Path.Combine(dataDir, "kubeconfig"));
            await using (var third = FlotillaProcess.Start("up", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--store", "etcd", "--nodes", "0"))
            {
                await third.WaitForKubeconfigServerAsync(Path.Combine(dataDir, "kubeconfig"));
                var names = await Eventually.KubectlOkAsync(dataDir, "get", "configmaps", "-o", "jsonpath={.items[*].metadata.name}");
                Assert.All(written, w => Assert.Contains(w, names.Split(' ')));
                Assert.Contains("left running by a server that was killed", third.LogTail(400), StringComparison.Ordinal);
                third.Terminate();
                Assert.Equal(0, await third.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }

            Assert.Empty((await HostCommand.RunAsync("pgrep", "-f", "--", $"--data-dir {dataDir}/etcd/member-")).Output.Trim());
        }
        finally
        {
            await FlotillaProcess.RunAsync("reset", "--data-dir", dataDir);
        }
    }

    [Fact]
    public async Task Up_WithUnreachableEtcd_FailsNamingIt()
    {
        var url = $"http://127.0.0.1:{FreePort()}";

        var (code, _, stderr) = await FlotillaProcess.RunAsync("up", "--data-dir", Path.Combine(_dir, "data"), "--listen", "127.0.0.1:0", "--store", "etcd", "--etcd-endpoints", url, "--nodes", "0");

        Assert.Equal(1, code);
        Assert.Contains(url, stderr, StringComparison.Ordinal);
        Assert.Contains("unreachable", stderr, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
