using System.Diagnostics;

namespace Flotilla.E2E.Tests;

/// <summary>One <c>./flotilla up</c> on a temp data dir shared by a test class, driven by the real kubectl; reset after.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private FlotillaProcess? _up;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "flotilla-e2e-" + Guid.NewGuid().ToString("N")[..12]);

    public string Kubeconfig => Path.Combine(DataDir, "kubeconfig");

    public string Server { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _up = FlotillaProcess.Start("up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", "--nodes", "0");
        Server = await _up.WaitForKubeconfigServerAsync(Kubeconfig);

        // As upstream's e2e framework does: pods are admitted once the controller manager made the default account.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await KubectlAsync("get", "serviceaccount", "default", "-o", "name")).Code != 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the default ServiceAccount did not appear within 60 s of ./flotilla up");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_up is not null)
        {
            _up.Terminate();
            await _up.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await _up.DisposeAsync();
        }

        await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    /// <summary>Runs kubectl against the cluster, feeding <paramref name="stdin"/> when given.</summary>
    public Task<(int Code, string Stdout, string Stderr)> KubectlInputAsync(string? stdin, params string[] args) =>
        KubectlEnvAsync(stdin, new Dictionary<string, string>(), args);

    /// <summary>Runs kubectl with extra environment variables (KUBE_EDITOR for <c>kubectl edit</c>).</summary>
    public async Task<(int Code, string Stdout, string Stderr)> KubectlEnvAsync(string? stdin, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("kubectl", ["--kubeconfig", Kubeconfig, "--cache-dir", Path.Combine(DataDir, "kubectl-cache"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
        }

        p.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    public Task<(int Code, string Stdout, string Stderr)> KubectlAsync(params string[] args) => KubectlInputAsync(null, args);

    /// <summary>Runs kubectl and fails the test with its stderr when it does not exit 0.</summary>
    public async Task<string> KubectlOkAsync(params string[] args)
    {
        var (code, stdout, stderr) = await KubectlInputAsync(null, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    public async Task<string> KubectlOkInputAsync(string stdin, params string[] args)
    {
        var (code, stdout, stderr) = await KubectlInputAsync(stdin, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
