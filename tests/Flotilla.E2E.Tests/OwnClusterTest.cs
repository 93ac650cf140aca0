namespace Flotilla.E2E.Tests;

/// <summary>
/// A test class whose tests each start their own <c>./flotilla up</c> in a fresh data dir, which is reset and removed
/// after the test (xunit 2 runs IAsyncLifetime.DisposeAsync after each test).
/// </summary>
public abstract class OwnClusterTest(string name) : IAsyncLifetime
{
    protected string DataDir { get; } = Path.Combine(Path.GetTempPath(), $"flotilla-{name}-" + Guid.NewGuid().ToString("N")[..12]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await FlotillaProcess.RunAsync("reset", "--data-dir", DataDir);
        if (Directory.Exists(DataDir))
        {
            Directory.Delete(DataDir, recursive: true);
        }
    }

    /// <summary>Brings up the cluster with <paramref name="nodes"/> hollow nodes, serving and with the default ServiceAccount made.</summary>
    protected Task<FlotillaProcess> UpAsync(int nodes) => UpWithAsync("--runtime", "hollow", "--nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Brings up the cluster as <c>./flotilla up</c> does by default (one real node), serving and with the default ServiceAccount made.</summary>
    protected Task<FlotillaProcess> UpAsync() => UpWithAsync();

    /// <summary>Brings up the cluster with <paramref name="nodes"/> real nodes (more than one: each in its own network namespace).</summary>
    protected Task<FlotillaProcess> UpRealAsync(int nodes) => UpWithAsync("--nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Brings up the cluster with these flags, serving and with the default ServiceAccount made.</summary>
    protected async Task<FlotillaProcess> UpWithAsync(params string[] flags)
    {
        var up = FlotillaProcess.Start(["up", "--data-dir", DataDir, "--listen", "127.0.0.1:0", .. flags]);
        try
        {
            await up.WaitForKubeconfigServerAsync(Path.Combine(DataDir, "kubeconfig"));
            await WaitForAsync(() => KubectlOkAsync("get", "serviceaccount", "default", "-o", "name", "--ignore-not-found"), v => v.Length > 0);
            return up;
        }
        catch
        {
            await up.DisposeAsync();
            throw;
        }
    }

    protected Task<string> KubectlOkAsync(params string[] args) => Eventually.KubectlOkAsync(DataDir, args);

    protected async Task KubectlOkInputAsync(string stdin, params string[] args)
    {
        var (code, _, stderr) = await FlotillaProcess.KubectlAsync(DataDir, stdin, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)}: {stderr}");
    }

    protected static Task<string> WaitForAsync(Func<Task<string>> read, Func<string, bool> done) => Eventually.WaitForAsync(read, done);
}
