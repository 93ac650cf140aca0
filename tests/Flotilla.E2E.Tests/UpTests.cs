using System.Diagnostics;
using System.Text.Json;

namespace Flotilla.E2E.Tests;

/// <summary>End to end: the README's <c>./flotilla up</c> in a temp data dir, driven by curl-like requests and the real kubectl.</summary>
public sealed class UpTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "flotilla-up-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Up_ServesHealthAndVersion_KubectlConnects_StopsCleanlyOnSigterm()
    {
        await using var up = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        var server = await WaitForServerAsync(up);
        using var http = FlotillaProcess.HttpClientFor(_dataDir, server);

        Assert.Equal("ok", await http.GetStringAsync("/readyz"));
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        Assert.Equal("ok", await http.GetStringAsync("/livez"));
        using var version = JsonDocument.Parse(await http.GetStringAsync("/version"));
        Assert.Equal("1", version.RootElement.GetProperty("major").GetString());
        Assert.Equal("32", version.RootElement.GetProperty("minor").GetString());

        var (code, stdout, stderr) = await RunKubectlAsync("version", "-o", "json");
        Assert.True(code == 0, $"kubectl version failed: {stderr}");
        using var kubectl = JsonDocument.Parse(stdout);
        Assert.Equal("32", kubectl.RootElement.GetProperty("serverVersion").GetProperty("minor").GetString());
        Assert.StartsWith("v1.32.0-flotilla.", kubectl.RootElement.GetProperty("serverVersion").GetProperty("gitVersion").GetString(), StringComparison.Ordinal);

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("stopping", up.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_ServesHttpsOnly_AnonymousAndForeignCertificatesGet401()
    {
        await using var up = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        var server = await WaitForServerAsync(up);
        Assert.StartsWith("https://", server, StringComparison.Ordinal);
        foreach (var key in new[] { "ca.key", "server.key", "admin.key" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dataDir, "tls", key)));
        }

        using var anonymous = FlotillaProcess.HttpClientFor(_dataDir, server);
        Assert.Equal("ok", await anonymous.GetStringAsync("/readyz"));
        using var denied = await anonymous.GetAsync("/api/v1/namespaces");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A client certificate from a CA the cluster does not know is refused the same way.
        using var foreignKey = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=mallory, O=system:masters", foreignKey, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2")], false));
        using var foreign = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        using var mallory = FlotillaProcess.HttpClientFor(_dataDir, server, foreign);
        using var refused = await mallory.GetAsync("/api/v1/namespaces");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Up_SecondInstanceOnSameDataDir_IsRefused()
    {
        await using var first = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        await WaitForServerAsync(first);

        var (code, _, stderr) = await FlotillaProcess.RunAsync("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0", "--nodes", "0");

        Assert.Equal(1, code);
        Assert.Contains("is in use by another flotilla", stderr, StringComparison.Ordinal);
        Assert.False(first.HasExited);
    }

    [Fact]
    public async Task Up_CorruptStore_FailsNamingTheFile()
    {
        var db = Path.Combine(_dataDir, "server", "db", "state.db");
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        await File.WriteAllTextAsync(db, new string('#', 4096));

        var (code, _, stderr) = await FlotillaProcess.RunAsync("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0", "--nodes", "0");

        Assert.Equal(1, code);
        Assert.Contains($"{db} is not a Flotilla store", stderr, StringComparison.Ordinal);
        Assert.Equal(new string('#', 4096), await File.ReadAllTextAsync(db));
    }

    [Fact]
    public async Task Reset_RemovesTheClusterState()
    {
        await using (var up = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0", "--nodes", "0"))
        {
            await WaitForServerAsync(up);
            var (busy, _, busyErr) = await FlotillaProcess.RunAsync("reset", "--data-dir", _dataDir);
            Assert.Equal(1, busy);
            Assert.Contains("in use", busyErr, StringComparison.Ordinal);
            up.Terminate();
            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var (code, _, stderr) = await FlotillaProcess.RunAsync("reset", "--data-dir", _dataDir);

        Assert.True(code == 0, stderr);
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "server")));
        Assert.False(File.Exists(Path.Combine(_dataDir, "kubeconfig")));
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "tls")));
    }

    [Theory]
    [InlineData("up", "--no-such-flag")]
    [InlineData("up", "--store", "mysql")]
    [InlineData("up", "--store", "etcd", "--etcd-members", "2")]
    [InlineData("up", "--listen", "not-an-address")]
    [InlineData("up", "--listen", "127.0.0.1")]
    [InlineData("up", "--nodes", "201")]
    [InlineData("up", "--nodes", "-1")]
    [InlineData("up", "--servers", "3")]
    [InlineData("up", "--servers", "8", "--store", "etcd")]
    [InlineData("up", "--flannel-backend", "wireguard")]
    [InlineData("controller-manager", "--kubeconfig", "k", "--cluster-signing-cert-file", "ca.crt")]
    [InlineData("agent", "--kubeconfig", "k", "--cluster-cidr", "10.42.0.1/16")]
    [InlineData("server", "--etcd-endpoints", "http://127.0.0.1:2379")]
    [InlineData("server", "--advertise-address", "0.0.0.0")]
    [InlineData("server", "--advertise-address", "my-host")]
    [InlineData("up", "--advertise-address", "192.0.2.9", "--nodes", "3")]
    [InlineData("up", "--advertise-address", "192.0.2.9", "--servers", "3", "--store", "etcd")]
    [InlineData("frobnicate")]
    public async Task BadCommandLine_ExitsWithUsageError(params string[] args)
    {
        var (code, _, stderr) = await FlotillaProcess.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Contains("flotilla:", stderr, StringComparison.Ordinal);
    }

    private Task<string> WaitForServerAsync(FlotillaProcess up) =>
        up.WaitForKubeconfigServerAsync(Path.Combine(_dataDir, "kubeconfig"));

    private async Task<(int Code, string Stdout, string Stderr)> RunKubectlAsync(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl", ["--kubeconfig", Path.Combine(_dataDir, "kubeconfig"), "--cache-dir", Path.Combine(_dataDir, "kubectl-cache"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}
