using System.Diagnostics;

namespace Flotilla.Bench.Density;

/// <summary>
/// The real <c>flotilla agent --runtime hollow --hollow-nodes N</c> as a child process (the CLI built beside this
/// benchmark), so its memory is the hollow nodes' alone. Its log goes to a file; disposing stops it (SIGTERM, then kill).
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process) => _process = process;

    public static AgentProcess Start(string kubeconfig, int nodes, string prefix, string log)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "flotilla.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { cli, "agent", "--kubeconfig", kubeconfig, "--runtime", "hollow", "--hollow-nodes", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--node-name", prefix },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start flotilla agent");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (writer) { writer.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AgentProcess(process);
    }

    /// <summary>The agent's resident memory now, in bytes.</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.HasExited ? throw new InvalidOperationException($"flotilla agent exited with {_process.ExitCode}") : _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
