using System.Text;
using Flotilla.Storage.Etcd;

namespace Flotilla.E2E.Tests;

/// <summary>
/// Secrets encrypted at rest: created and read with the real kubectl, never present as plaintext in the SQLite files
/// or in etcd. A ConfigMap written alongside is found in the same bytes, which proves the search looks where the data is.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-at-rest-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
    private readonly string _visible = "visible-" + Guid.NewGuid().ToString("N");

    private string DataDir => Path.Combine(_dir, "data");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Up_Sqlite_SecretServedToKubectl_OnlyCiphertextInStateDb_KeyKeptAcrossRestart()
    {
        await using (var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0"))
        {
            await up.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));
            await CreateAndReadAsync();

            var config = Path.Combine(DataDir, "tls", "encryption-config.yaml");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
            var db = Path.Combine(DataDir, "server", "db", "state.db");
            var bytes = Read(db, db + "-wal");
            AssertEncrypted(bytes);

            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // The next start loads the same key: the secret still reads.
        File.Delete(Path.Combine(DataDir, "kubeconfig"));
        await using (var again = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0"))
        {
            await again.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));
            Assert.Equal(_secret, await ReadSecretAsync());
            again.Terminate();
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task Up_Etcd_SecretServedToKubectl_OnlyCiphertextInEtcd()
    {
        var etcdDir = Path.Combine(_dir, "etcd");
        await using var etcd = await EtcdProcess.StartAsync(etcdDir);
        await using var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--store", "etcd", "--etcd-endpoints", etcd.ClientUrl);
        await up.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));

        await CreateAndReadAsync();

        // The raw keys, read with the etcd client beneath Flotilla's decryption.
        await using (var raw = new EtcdStore(new EtcdStoreOptions { Endpoints = [etcd.ClientUrl] }))
        {
            var secret = Encoding.UTF8.GetString((await raw.GetAsync("/registry/secrets/default/db"))!.Value);
            Assert.StartsWith("k8s:enc:aesgcm:v1:key1:", secret, StringComparison.Ordinal);
            var everything = await raw.ListAsync("/", new Flotilla.Storage.ListOptions());
            AssertEncrypted([.. everything.Items.SelectMany(kv => Encoding.UTF8.GetBytes(kv.Key).Concat(kv.Value))]);
        }

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // And etcd's own files (its write-ahead log holds every value as written), once etcd lets go of their locks.
        await etcd.DisposeAsync();
        AssertEncrypted(Read([.. Directory.EnumerateFiles(etcdDir, "*", SearchOption.AllDirectories)]));
    }

    private async Task CreateAndReadAsync()
    {
        await KubectlOkAsync("create", "secret", "generic", "db", "--from-literal=password=" + _secret);
        await KubectlOkAsync("create", "configmap", "plain", "--from-literal=note=" + _visible);
        Assert.Equal(_secret, await ReadSecretAsync());
    }

    private async Task<string> ReadSecretAsync() =>
        Encoding.UTF8.GetString(Convert.FromBase64String(await KubectlOkAsync("get", "secret", "db", "-o", "jsonpath={.data.password}")));

    private async Task<string> KubectlOkAsync(params string[] args)
    {
        var (code, stdout, stderr) = await FlotillaProcess.KubectlAsync(DataDir, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    private void AssertEncrypted(byte[] bytes)
    {
        Assert.True(Contains(bytes, _visible), "the ConfigMap written beside the secret is not in these bytes: the search looks in the wrong place");
        Assert.True(Contains(bytes, "k8s:enc:aesgcm:v1:key1:"), "no value encrypted with key1 in these bytes");
        Assert.False(Contains(bytes, _secret), "the secret's plaintext is in the store");
        Assert.False(Contains(bytes, Convert.ToBase64String(Encoding.UTF8.GetBytes(_secret))), "the secret's base64 data is in the store");
    }

    /// <summary>The files' bytes, read while their writer has them open.</summary>
    private static byte[] Read(params string[] paths)
    {
        using var all = new MemoryStream();
        foreach (var path in paths.Where(File.Exists))
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            file.CopyTo(all);
        }

        return all.ToArray();
    }

    private static bool Contains(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)) >= 0;
}
