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
        await using var up = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0");
        var server = await WaitForServerAsync(up);
        using var http = new HttpClient { BaseAddress = new Uri(server) };

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
    public async Task Up_SecondInstanceOnSameDataDir_IsRefused()
    {
        await using var first = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0");
        await WaitForServerAsync(first);

        var (code, _, stderr) = await FlotillaProcess.RunAsync("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0");

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

        var (code, _, stderr) = await FlotillaProcess.RunAsync("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0");

        Assert.Equal(1, code);
        Assert.Contains($"{db} is not a Flotilla store", stderr, StringComparison.Ordinal);
        Assert.Equal(new string('#', 4096), await File.ReadAllTextAsync(db));
    }

    [Fact]
    public async Task Reset_RemovesTheClusterState()
    {
        await using (var up = FlotillaProcess.Start("up", "--data-dir", _dataDir, "--listen", "127.0.0.1:0"))
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
    }

    [Theory]
    [InlineData("up", "--no-such-flag")]
    [InlineData("up", "--store", "mysql")]
    [InlineData("up", "--store", "etcd")]
    [InlineData("up", "--listen", "not-an-address")]
    [InlineData("server", "--etcd-endpoints", "http://127.0.0.1:2379")]
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
