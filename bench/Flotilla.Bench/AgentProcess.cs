using System.Diagnostics;
using System.Net;
using k8s;

namespace Flotilla.Bench;

/// <summary>
/// The real <c>flotilla agent --runtime hollow --hollow-nodes N</c> as a child process (the CLI built beside this
/// benchmark), so its memory is the hollow nodes' alone. Its log goes to a file; disposing stops it (SIGTERM, then kill).
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process) => _process = process;

    /// <summary>Writes an admin kubeconfig for the benchmark's API server into <paramref name="dir"/>, then starts the agent with it.</summary>
    public static AgentProcess Start(LocalApiServer server, string dir, int nodes, string prefix)
    {
        ArgumentNullException.ThrowIfNull(server);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        if (!File.Exists(kubeconfig))
        {
            Flotilla.Cli.Kubeconfig.Write(kubeconfig, new IPEndPoint(IPAddress.Loopback, server.Address.Port), server.Pki!);
        }

        return Start(kubeconfig, nodes, prefix, Path.Combine(dir, $"agent-{prefix}.log"));
    }

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

    /// <summary>Nodes named <c>prefix-*</c> that are Ready.</summary>
    public static async Task<int> ReadyNodesAsync(Kubernetes admin, string prefix, CancellationToken cancellationToken) =>
        (await admin.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items
            .Count(n => n.Metadata.Name.StartsWith(prefix + "-", StringComparison.Ordinal) && n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);

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
