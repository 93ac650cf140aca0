using Flotilla.Storage.Etcd;

namespace Flotilla.E2E.Tests;

/// <summary>
/// <c>flotilla etcd snapshot save|restore</c>: the cluster state saved while the server runs and restored into a
/// stopped one — the embedded store's file replaced, or a fresh etcd filled — and served again as kubectl left it.
/// </summary>
public sealed class SnapshotTests() : OwnClusterTest("snap")
{
    [Fact]
    public async Task Sqlite_SavedWhileServing_RestoredWhenStopped_BringsTheStateBack()
    {
        var snapshot = Path.Combine(DataDir, "backup.db");
        await using (var up = await UpNoNodesAsync())
        {
            await KubectlOkAsync("create", "configmap", "keep", "--from-literal=a=1");

            var (saved, savedOut, savedErr) = await FlotillaProcess.RunAsync("etcd", "snapshot", "save", snapshot, "--data-dir", DataDir);
            Assert.True(saved == 0, savedErr);
            Assert.Contains($"saved to {snapshot}", savedOut, StringComparison.Ordinal);
            await KubectlOkAsync("delete", "configmap", "keep");

            // Not while the server holds the data dir.
            var (refused, _, why) = await FlotillaProcess.RunAsync("etcd", "snapshot", "restore", snapshot, "--data-dir", DataDir);
            Assert.Equal(1, refused);
            Assert.Contains("is in use by another flotilla", why, StringComparison.Ordinal);
            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var (code, stdout, stderr) = await FlotillaProcess.RunAsync("etcd", "snapshot", "restore", snapshot, "--data-dir", DataDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("the replaced store is kept as", stdout, StringComparison.Ordinal);

        await using (var again = await UpNoNodesAsync())
        {
            Assert.Equal("1", await KubectlOkAsync("get", "configmap", "keep", "-o", "jsonpath={.data.a}"));
            again.Terminate();
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task Etcd_SavedToAFile_RestoredIntoAFreshEtcd_ServesTheSameState()
    {
        var snapshot = Path.Combine(DataDir, "backup.db");
        Directory.CreateDirectory(DataDir);
        await using (var first = await EtcdProcess.StartAsync(Path.Combine(DataDir, "etcd-1")))
        {
            await using var up = await UpNoNodesAsync("--store", "etcd", "--etcd-endpoints", first.ClientUrl);
            await KubectlOkAsync("create", "namespace", "kept");
            await KubectlOkAsync("create", "configmap", "keep", "-n", "kept", "--from-literal=a=2");

            var (saved, savedOut, savedErr) = await FlotillaProcess.RunAsync("etcd", "snapshot", "save", snapshot, "--data-dir", DataDir, "--store", "etcd", "--etcd-endpoints", first.ClientUrl);
            Assert.True(saved == 0, savedErr);
            Assert.Contains("keys saved to", savedOut, StringComparison.Ordinal);
            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        await using var second = await EtcdProcess.StartAsync(Path.Combine(DataDir, "etcd-2"));
        var (code, stdout, stderr) = await FlotillaProcess.RunAsync("etcd", "snapshot", "restore", snapshot, "--data-dir", DataDir, "--store", "etcd", "--etcd-endpoints", second.ClientUrl);
        Assert.True(code == 0, stderr);
        Assert.Contains("keys restored from", stdout, StringComparison.Ordinal);

        // A second restore into the now-filled etcd is refused.
        var (again, _, refused) = await FlotillaProcess.RunAsync("etcd", "snapshot", "restore", snapshot, "--data-dir", DataDir, "--store", "etcd", "--etcd-endpoints", second.ClientUrl);
        Assert.Equal(1, again);
        Assert.Contains("copy into an empty store", refused, StringComparison.Ordinal);

        await using var restored = await UpNoNodesAsync("--store", "etcd", "--etcd-endpoints", second.ClientUrl);
        Assert.Equal("2", await KubectlOkAsync("get", "configmap", "keep", "-n", "kept", "-o", "jsonpath={.data.a}"));
        restored.Terminate();
        Assert.Equal(0, await restored.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private async Task<FlotillaProcess> UpNoNodesAsync(params string[] flags)
    {
        // The previous run's kubeconfig goes first: the new one says the server is up.
        if (File.Exists(Path.Combine(DataDir, "kubeconfig")))
        {
            File.Delete(Path.Combine(DataDir, "kubeconfig"));
        }

        var up = FlotillaProcess.Start(["up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0", .. flags]);
        await up.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));
        return up;
    }
}
