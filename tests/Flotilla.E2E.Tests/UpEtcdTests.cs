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
