using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Flotilla.E2E.Tests;

/// <summary>Runs the repository's <c>./flotilla</c> launcher (the README's command) as a child process.</summary>
public sealed class FlotillaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();

    private FlotillaProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The offline images the launcher builds beside its CLI (<c>.build/cli</c>).</summary>
    public static string ImagesDir => Path.Combine(RepositoryRoot, ".build", "cli", "images");

    public string Stderr
    {
        get { lock (_stderr) { return _stderr.ToString(); } }
    }

    public string Stdout
    {
        get { lock (_stdout) { return _stdout.ToString(); } }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last <paramref name="lines"/> lines of its output (and its children's), for a failure's message.</summary>
    public string LogTail(int lines) => string.Join('\n', (Stdout + Stderr).Split('\n').TakeLast(lines));

    public static FlotillaProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot, "flotilla"), .. args])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        return new FlotillaProcess(Process.Start(info)!);
    }

    /// <summary>Runs a command to completion and returns its exit code.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        await using var p = Start(args);
        var code = await p.WaitForExitAsync(TimeSpan.FromMinutes(3));
        return (code, p.Stdout, p.Stderr);
    }

    /// <summary>
    /// An HTTPS client for a cluster's API that trusts its CA (<c>&lt;data-dir&gt;/tls/ca.crt</c>), anonymous or with
    /// <paramref name="clientCertificate"/>.
    /// </summary>
    public static HttpClient HttpClientFor(string dataDir, string server, X509Certificate2? clientCertificate = null)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dataDir, "tls", "ca.crt")));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return certificate is not null && chain.Build(new X509Certificate2(certificate));
        };
        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return new HttpClient(handler) { BaseAddress = new Uri(server) };
    }

    /// <summary>Starts the installed kubectl against the cluster of <paramref name="dataDir"/>, its streams redirected (a long-running one: port-forward).</summary>
    public static Process StartKubectl(string dataDir, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("kubectl", ["--kubeconfig", Path.Combine(dataDir, "kubeconfig"), "--cache-dir", Path.Combine(dataDir, "kubectl-cache"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    /// <summary>Runs the installed kubectl with the kubeconfig of the cluster in <paramref name="dataDir"/>, feeding <paramref name="stdin"/> when given.</summary>
    public static Task<(int Code, string Stdout, string Stderr)> KubectlAsync(string dataDir, string? stdin, params string[] args) =>
        KubectlAsync(dataDir, stdin, null, args);

    /// <summary>As <see cref="KubectlAsync(string, string?, string[])"/>, with environment variables (kubectl's feature switches).</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> KubectlAsync(string dataDir, string? stdin, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = StartKubectl(dataDir, environment, args);
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

    /// <summary>Waits for the kubeconfig a started <c>up</c> writes once it serves, and returns its (first, the default context's) server URL.</summary>
    public async Task<string> WaitForKubeconfigServerAsync(string kubeconfig)
    {
        var timeout = TimeSpan.FromMinutes(3);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            Assert.False(HasExited, $"flotilla exited early:\n{Stderr}");
            if (File.Exists(kubeconfig))
            {
                var line = (await File.ReadAllLinesAsync(kubeconfig)).First(l => l.Trim().StartsWith("server:", StringComparison.Ordinal));
                return line.Trim()["server:".Length..].Trim();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"flotilla wrote no kubeconfig within {timeout}:\n{Stderr}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();  // drains the asynchronous output readers
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager stops a process.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL to this process alone, as in its crash: its children are left to themselves.</summary>
    public async Task KillAloneAsync()
    {
        using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGKILL: the process dies at once, as in a crash (its Leases are not given up).</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (sb)
        {
            sb.AppendLine(line);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Flotilla.slnx")) && File.Exists(Path.Combine(dir.FullName, "flotilla")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"repository root not found above {AppContext.BaseDirectory}");
    }
}
