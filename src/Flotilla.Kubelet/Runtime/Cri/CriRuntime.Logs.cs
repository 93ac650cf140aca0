using System.Globalization;
using System.IO.Compression;
using Grpc.Core;
using V1 = Flotilla.Kubelet.Runtime.Cri.V1;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>
/// Upstream's container log manager (<c>containerLogMaxSize</c> 10 Mi, <c>containerLogMaxFiles</c> 5): a running
/// container's log over the size is renamed <c>&lt;log&gt;.&lt;yyyyMMdd-HHmmss&gt;</c> and the runtime told to reopen
/// it (renamed back if it cannot); rotated files past the count go, oldest first, and all but the newest are gzipped.
/// </summary>
public sealed partial class CriRuntime
{
    public const long DefaultLogMaxSize = 10L << 20;
    public const int DefaultLogMaxFiles = 5;

    /// <summary>One pass over the running containers' logs; returns how many were rotated.</summary>
    public async Task<int> RotateLogsAsync(long maxSize, int maxFiles, CancellationToken cancellationToken)
    {
        var running = await _runtime.ListContainersAsync(
            new V1.ListContainersRequest { Filter = new V1.ContainerFilter { State = new V1.ContainerStateValue { State = V1.ContainerState.ContainerRunning } } },
            cancellationToken: cancellationToken);
        var rotated = 0;
        foreach (var container in running.Containers)
        {
            string path;
            try
            {
                path = (await _runtime.ContainerStatusAsync(new V1.ContainerStatusRequest { ContainerId = container.Id }, cancellationToken: cancellationToken)).Status.LogPath;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                continue;
            }

            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                continue;
            }

            CleanUp(path, maxFiles);
            if (new FileInfo(path).Length <= maxSize)
            {
                continue;
            }

            var rotatedPath = $"{path}.{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
            File.Move(path, rotatedPath);
            try
            {
                await _runtime.ReopenContainerLogAsync(new V1.ReopenContainerLogRequest { ContainerId = container.Id }, cancellationToken: cancellationToken);
            }
            catch (RpcException)
            {
                // The runtime still writes to the renamed file: give it its name back.
                File.Move(rotatedPath, path);
                throw;
            }

            rotated++;
        }

        return rotated;
    }

    /// <summary>Leaves at most <paramref name="maxFiles"/> - 1 rotated files beside the log, all but the newest gzipped.</summary>
    private static void CleanUp(string path, int maxFiles)
    {
        var dir = Path.GetDirectoryName(path)!;
        var prefix = Path.GetFileName(path) + ".";
        // Filtered by hand: a "0.log.*" search pattern also matches "0.log" itself (.NET's Win32-style matching).
        var rotated = Directory.EnumerateFiles(dir)
            .Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal) && !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        while (rotated.Count > maxFiles - 1)
        {
            File.Delete(rotated[0]);
            rotated.RemoveAt(0);
        }

        foreach (var file in rotated.Take(rotated.Count - 1).Where(f => !f.EndsWith(".gz", StringComparison.Ordinal)))
        {
            var temp = file + ".gz.tmp";
            using (var source = File.OpenRead(file))
            using (var target = new GZipStream(File.Create(temp), CompressionLevel.Optimal))
            {
                source.CopyTo(target);
            }

            File.Move(temp, file + ".gz");
            File.Delete(file);
        }
    }
}
