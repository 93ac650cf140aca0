using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Flotilla.Storage.Etcd;

/// <summary>
/// A single-member etcd run as a child process for tests and benchmarks, listening only on 127.0.0.1 at ports chosen
/// at run time. etcd creates the data directory (mode 0700) when missing; disposing kills etcd and waits for it to exit,
/// leaving the directory to the caller.
/// </summary>
public sealed class EtcdProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private const int MaxOutputLines = 50;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private EtcdProcess(Process process, string clientUrl)
    {
        _process = process;
        ClientUrl = clientUrl;
    }

    /// <summary>The member's client URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string ClientUrl { get; }

    public static async Task<EtcdProcess> StartAsync(string dataDir, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        var executable = FindExecutable();

        // A port chosen here can be taken by someone else before etcd binds it: try again with new ports.
        for (var attempt = 1; ; attempt++)
        {
            var etcd = Launch(executable, Path.GetFullPath(dataDir));
            try
            {
                await etcd.WaitUntilServingAsync(cancellationToken);
                return etcd;
            }
            catch (InvalidOperationException) when (attempt < 3 && etcd.Output.Contains("address already in use", StringComparison.Ordinal))
            {
                await etcd.DisposeAsync();
            }
            catch
            {
                await etcd.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    private static EtcdProcess Launch(string executable, string dataDir)
    {
        var ports = FreePorts(2);
        var clientUrl = $"http://127.0.0.1:{ports[0].ToString(CultureInfo.InvariantCulture)}";
        var peerUrl = $"http://127.0.0.1:{ports[1].ToString(CultureInfo.InvariantCulture)}";
        var name = $"flotilla-{Guid.NewGuid():N}";
        return Launch(executable, new EtcdMember(name, dataDir, clientUrl, peerUrl), $"{name}={peerUrl}", name, "new");
    }

    /// <summary>Starts one member of a cluster (<see cref="EtcdCluster"/>) and waits until it serves (which needs a quorum up).</summary>
    internal static async Task<EtcdProcess> StartMemberAsync(EtcdMember member, string initialCluster, string token, string state, CancellationToken cancellationToken)
    {
        var etcd = Launch(FindExecutable(), member, initialCluster, token, state);
        try
        {
            await etcd.WaitUntilServingAsync(cancellationToken);
            return etcd;
        }
        catch
        {
            await etcd.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, then the wait for exit (etcd syncs and leaves cleanly), then SIGKILL after 10 s.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            term?.WaitForExit();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Killed below.
            }
        }

        await DisposeAsync();
    }

    private static EtcdProcess Launch(string executable, EtcdMember member, string initialCluster, string token, string state)
    {
        var (name, dataDir, clientUrl, peerUrl) = member;
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var arg in new[]
        {
            "--name", name,
            "--data-dir", Path.GetFullPath(dataDir),
            "--listen-client-urls", clientUrl,
            "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl,
            "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", initialCluster,
            "--initial-cluster-token", token,
            "--initial-cluster-state", state,
            // etcd's default 1.5 MiB limit is on the whole request: a value of exactly the store's limit needs headroom.
            "--max-request-bytes", (StoreLimits.MaxValueBytes + (512 * 1024)).ToString(CultureInfo.InvariantCulture),
            "--logger", "zap",
            "--log-outputs", "stderr",
            "--log-level", "error",
        })
        {
            start.ArgumentList.Add(arg);
        }

        // Settings from the environment (ETCD_*) would override the flags above.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("ETCD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        var process = new Process { StartInfo = start };
        var etcd = new EtcdProcess(process, clientUrl);
        process.OutputDataReceived += (_, e) => etcd.Record(e.Data);
        process.ErrorDataReceived += (_, e) => etcd.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return etcd;
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);  // flushes the output handlers
                throw new InvalidOperationException(
                    $"etcd exited with code {_process.ExitCode} before serving at {ClientUrl}:\n{Output}");
            }

            try
            {
                // /health answers true once the member has a leader and can serve requests.
                var body = await http.GetStringAsync(new Uri($"{ClientUrl}/health"), cancellationToken);
                if (body.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // This probe timed out.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"etcd did not serve at {ClientUrl} within {StartTimeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private static string FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, "etcd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("etcd was not found on PATH or in /usr/bin: install it with scripts/setup.sh (Debian package etcd-server)");
    }

    /// <summary>
    /// Loopback ports for members kept across restarts: free now and below the kernel's ephemeral range
    /// (<c>ip_local_port_range</c>), from which outgoing connections would otherwise take one while the cluster is
    /// stopped. A kernel whose range leaves too little below it gets ephemeral ones.
    /// </summary>
    internal static int[] KeptPorts(int count)
    {
        const int Lowest = 10000;
        var highest = EphemeralStart() - 1;
        if (highest - Lowest < 1000)
        {
            return FreePorts(count);
        }

        var held = new List<TcpListener>();
        try
        {
            for (var attempt = 0; held.Count < count && attempt < 1000; attempt++)
            {
                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(Lowest, highest + 1));
                try
                {
                    listener.Start();
                    held.Add(listener);
                }
                catch (SocketException)
                {
                    // Taken: another.
                }
            }

            return held.Count == count ? [.. held.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)] : FreePorts(count);
        }
        finally
        {
            held.ForEach(l => l.Stop());
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (32768 when it cannot be read).</summary>
    internal static int EphemeralStart()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(Range) && int.TryParse(File.ReadAllText(Range).Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0], out var start) ? start : 32768;
    }

    /// <summary>Loopback ports the kernel hands out while all are held, so none repeats.</summary>
    internal static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
