using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>
/// A node's containerd as a child process (k3s' model): started with its own config, its output appended to
/// <see cref="ContainerdConfig.LogPath"/>, ready once its CRI answers; started again when it dies; stopped with
/// SIGTERM on dispose. Containers live on in their shims while containerd is down, and it finds them again.
/// </summary>
public sealed partial class ContainerdProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ContainerdConfig _config;
    private readonly Func<CancellationToken, Task> _probe;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private Process _process;
    private Task _supervisor = Task.CompletedTask;

    private ContainerdProcess(ContainerdConfig config, Func<CancellationToken, Task> probe, ILogger log)
    {
        _config = config;
        _probe = probe;
        _log = log;
        _process = Launch(config);
    }

    /// <summary>Writes the config, starts containerd and waits until <paramref name="probe"/> (a CRI call) succeeds.</summary>
    public static async Task<ContainerdProcess> StartAsync(ContainerdConfig config, Func<CancellationToken, Task> probe, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Write();
        var containerd = new ContainerdProcess(config, probe, log);
        try
        {
            await containerd.WaitUntilServingAsync(cancellationToken);
        }
        catch
        {
            await containerd.DisposeAsync();
            throw;
        }

        LogStarted(log, config.Socket, containerd._process.Id);
        containerd._supervisor = Task.Run(() => containerd.SuperviseAsync(containerd._stop.Token), CancellationToken.None);
        return containerd;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _supervisor;
        await StopAsync(_process);
        _stop.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            LogDied(_log, _process.ExitCode, _config.LogPath);
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _process.Dispose();
            _process = Launch(_config);
            try
            {
                await WaitUntilServingAsync(cancellationToken);
                delay = TimeSpan.FromSeconds(1);
                LogStarted(_log, _config.Socket, _process.Id);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WaitUntilServingAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        Exception? last = null;
        while (started.Elapsed < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"containerd exited with code {_process.ExitCode} before serving; its log: {_config.LogPath}\n{Tail(_config.LogPath)}");
            }

            if (File.Exists(_config.Socket))
            {
                try
                {
                    using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    attempt.CancelAfter(TimeSpan.FromSeconds(2));
                    await _probe(attempt.Token);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    last = e;
                }
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"containerd did not serve CRI at {_config.Socket} within {StartTimeout.TotalSeconds} s ({last?.Message}); its log: {_config.LogPath}\n{Tail(_config.LogPath)}");
    }

    private static Process Launch(ContainerdConfig config)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };

        // exec: the shell becomes containerd, so its PID is containerd's and signals reach it.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec containerd --config \"$0\" >>\"$1\" 2>&1");
        start.ArgumentList.Add(config.ConfigPath);
        start.ArgumentList.Add(config.LogPath);
        return Process.Start(start) ?? throw new InvalidOperationException("containerd did not start");
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static string Tail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "containerd serving at {Socket} (pid {Pid})")]
    private static partial void LogStarted(ILogger log, string socket, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "containerd exited with code {Code}, starting it again; its log: {LogPath}")]
    private static partial void LogDied(ILogger log, int code, string logPath);
}
