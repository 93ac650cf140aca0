using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Flotilla.Cli;

/// <summary>
/// The processes <c>up</c> runs beside itself (node agents, extra API servers): their output joins <c>up</c>'s, and
/// stopping sends each SIGTERM and waits, killing one that has not stopped in 30 s. Each stops by itself if <c>up</c>
/// dies without stopping it (<see cref="ParentWatch"/>).
/// </summary>
public sealed partial class ChildProcesses : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(string Name, Process Process)> _children = [];
    private readonly ILogger _log;

    public ChildProcesses(ILogger log) => _log = log;

    /// <summary>Ends when every child has exited.</summary>
    public Task Running => Task.WhenAll(_children.Select(c => c.Process.WaitForExitAsync()));

    public void Start(string name, ProcessStartInfo info, string where)
    {
        ArgumentNullException.ThrowIfNull(info);
        ParentWatch.Mark(info);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        _children.Add((name, process));
        LogStarted(_log, name, process.Id, where);
    }

    /// <summary>At once, with no SIGTERM (a start that failed half-way).</summary>
    public void Kill()
    {
        foreach (var (_, process) in _children)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
        }

        _children.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, process) in _children.Where(c => !c.Process.HasExited))
        {
            Kubelet.Node.HostCommand.Run("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture));
        }

        using var timeout = new CancellationTokenSource(StopTimeout);
        foreach (var (name, process) in _children)
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                LogStopped(_log, name, process.ExitCode);
            }
            catch (OperationCanceledException)
            {
                LogKilled(_log, name);
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        _children.Clear();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name}: started (pid {Pid}, {Where})")]
    private static partial void LogStarted(ILogger log, string name, int pid, string where);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Name}: exited with {Code}")]
    private static partial void LogStopped(ILogger log, string name, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Name}: did not stop in 30 s; killed")]
    private static partial void LogKilled(ILogger log, string name);
}
