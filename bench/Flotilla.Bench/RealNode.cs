using System.Diagnostics;
using Flotilla.Cli;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Bench;

/// <summary>
/// The real node of <c>up --runtime containerd</c> in the benchmark's process, joined to a <see cref="LocalControlPlane"/>:
/// the offline images built beside this program first (where the node imports them from), containerd started from a
/// temp data dir, Ready before it is handed out; disposing it stops the node and resets everything it made.
/// </summary>
public sealed class RealNode : IAsyncDisposable
{
    private readonly DataDirectory _dataDir;
    private readonly CancellationTokenSource _stop;
    private readonly ContainerdNode _node;

    private RealNode(DataDirectory dataDir, CancellationTokenSource stop, ContainerdNode node)
    {
        _dataDir = dataDir;
        _stop = stop;
        _node = node;
    }

    public static async Task<RealNode> StartAsync(LocalControlPlane plane, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plane);
        await BuildImagesAsync(cancellationToken);
        var dataDir = new DataDirectory(Path.Combine(plane.WorkDir, "node"));
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var node = await ContainerdNode.StartAsync(dataDir, new Flotilla.Controllers.ControllerManagerOptions().ClusterCidr, plane.Server.Address, plane.Server.Pki!, NullLoggerFactory.Instance, stop.Token);
        var real = new RealNode(dataDir, stop, node);
        try
        {
            await UntilAsync(async () => (await plane.Admin.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items.Any(n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true), "a Ready node", cancellationToken);
            return real;
        }
        catch
        {
            await real.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _node.Running;
        await _node.DisposeAsync();
        await new Flotilla.Kubelet.Runtime.Cri.CriNode(_dataDir.Root).ResetAsync(NullLogger.Instance, CancellationToken.None);
        _dataDir.Dispose();
        _stop.Dispose();
    }

    /// <summary>Polls every 20 ms until <paramref name="done"/>, for at most 5 min, printing <paramref name="progress"/> every 5 s.</summary>
    public static async Task UntilAsync(Func<Task<bool>> done, string what, CancellationToken cancellationToken, Func<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(done);
        var clock = Stopwatch.StartNew();
        var printed = TimeSpan.Zero;
        while (!await done())
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"{what} not reached in 5 min");
            }

            if (progress is not null && clock.Elapsed - printed >= TimeSpan.FromSeconds(5))
            {
                printed = clock.Elapsed;
                Console.WriteLine(progress());
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>
    /// The offline images beside this program, or beside <paramref name="program"/> (a flotilla.dll elsewhere), where
    /// the real node imports them from (as the launcher builds them beside the CLI).
    /// </summary>
    public static async Task BuildImagesAsync(CancellationToken cancellationToken, string? program = null)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "scripts", "images", "build.sh")))
        {
            root = root.Parent;
        }

        var script = root is null ? throw new InvalidOperationException("scripts/images/build.sh not found") : Path.Combine(root.FullName, "scripts", "images", "build.sh");
        using var build = Process.Start("bash", [script, Path.Combine(program is null ? AppContext.BaseDirectory : Path.GetDirectoryName(program)!, "images")]);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException("building the images failed");
        }
    }
}
