using System.Security.Cryptography;
using System.Text;
using Flotilla.ApiServer.Encryption;
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

    private string ConfigPath => Path.Combine(DataDir, "tls", "encryption-config.yaml");

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
        await using (var up = await StartAsync())
        {
            await CreateAndReadAsync();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigPath));
            var db = Path.Combine(DataDir, "server", "db", "state.db");
            AssertEncrypted(Read(db, db + "-wal"));
            await StopAsync(up);
        }

        // The next start loads the same key: the secret still reads.
        await using (var again = await StartAsync())
        {
            Assert.Equal(_secret, await ReadSecretAsync());
            await StopAsync(again);
        }
    }

    [Fact]
    public async Task Up_Etcd_SecretServedToKubectl_OnlyCiphertextInEtcd()
    {
        var etcdDir = Path.Combine(_dir, "etcd");
        await using var etcd = await EtcdProcess.StartAsync(etcdDir);
        await using var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--store", "etcd", "--etcd-endpoints", etcd.ClientUrl, "--nodes", "0");
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

    [Fact]
    public async Task Up_KeyRotation_ByTheDocumentedProcedure_MovesSecretsToTheNewKey()
    {
        await using (var up = await StartAsync())
        {
            await CreateAndReadAsync();
            await StopAsync(up);
        }

        var key1 = EncryptionConfigFile.Parse(await File.ReadAllTextAsync(ConfigPath)).Resources![0].Providers![0].AesGcm!.Keys![0].Secret!;
        var key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        // 1-3: the new key first, restart, re-write every secret.
        await WriteConfigAsync(("key2", key2), ("key1", key1));
        await using (var up = await StartAsync())
        {
            var all = await KubectlOkAsync(null, "get", "secrets", "-A", "-o", "json");
            // --validate=false: kubectl validates a List against /openapi/v2, which Flotilla does not serve.
            await KubectlOkAsync(all, "replace", "--validate=false", "-f", "-");
            await StopAsync(up);
        }

        // 4: without the old key the secret still reads: it was re-written under the new one.
        await WriteConfigAsync(("key2", key2));
        await using (var up = await StartAsync())
        {
            Assert.Equal(_secret, await ReadSecretAsync());
            await StopAsync(up);
        }

        // A key the secret was never written with: the start fails naming the key it cannot read.
        await WriteConfigAsync(("key3", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var (code, _, stderr) = await FlotillaProcess.RunAsync("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        Assert.Equal(1, code);
        Assert.Contains("unable to transform key \"/registry/secrets/default/db\": no matching key was found for the provided AES transformer", stderr, StringComparison.Ordinal);
    }

    private async Task<FlotillaProcess> StartAsync()
    {
        // Each start writes a kubeconfig for its new port: wait for that one, not the last start's.
        if (File.Exists(Path.Combine(DataDir, "kubeconfig")))
        {
            File.Delete(Path.Combine(DataDir, "kubeconfig"));
        }

        var up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        await up.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));
        return up;
    }

    private static async Task StopAsync(FlotillaProcess up)
    {
        up.Terminate();
        var code = await up.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(code == 0, $"flotilla exited {code}: {up.Stderr}");
    }

    private Task WriteConfigAsync(params (string Name, string Secret)[] keys) => File.WriteAllTextAsync(ConfigPath,
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aesgcm:\n      keys:\n" +
        string.Concat(keys.Select(k => $"      - name: {k.Name}\n        secret: {k.Secret}\n")) +
        "  - identity: {}\n");

    private async Task CreateAndReadAsync()
    {
        await KubectlOkAsync(null, "create", "secret", "generic", "db", "--from-literal=password=" + _secret);
        await KubectlOkAsync(null, "create", "configmap", "plain", "--from-literal=note=" + _visible);
        Assert.Equal(_secret, await ReadSecretAsync());
    }

    private async Task<string> ReadSecretAsync() =>
        Encoding.UTF8.GetString(Convert.FromBase64String(await KubectlOkAsync(null, "get", "secret", "db", "-o", "jsonpath={.data.password}")));

    private async Task<string> KubectlOkAsync(string? stdin, params string[] args)
    {
        var (code, stdout, stderr) = await FlotillaProcess.KubectlAsync(DataDir, stdin, args);
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
