using System.Diagnostics;
using System.Globalization;
using Flotilla.Kubelet.Network;
using Flotilla.Kubelet.Runtime.Cri;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Kubelet.Tests.Cri;

/// <summary>
/// A real containerd for one test class, as one node would run it: its own dir under /tmp, its own bridge name and
/// /24 (so classes can run side by side) and its masquerade chain, the offline images built by scripts/images/build.sh and imported. Disposing
/// removes every sandbox, stops containerd, deletes the bridge and the dir.
/// </summary>
public sealed class ContainerdNode : IAsyncLifetime
{
    private static readonly SemaphoreSlim ImageBuild = new(1, 1);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-cri-" + Guid.NewGuid().ToString("N")[..10]);
    private ContainerdProcess? _containerd;

    public CriRuntime Runtime { get; private set; } = null!;

    /// <summary>The offline images' OCI archives (<c>busybox-1.35.tar</c>, ...).</summary>
    public string ImagesDir { get; private set; } = string.Empty;

    public string Bridge { get; } = "flcri" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A /24 of 10.99.0.0/16 for this node's pods.</summary>
    public string PodCidr { get; } = string.Create(CultureInfo.InvariantCulture, $"10.99.{Random.Shared.Next(1, 255)}.0/24");

    /// <summary>The cluster's pod network this node is part of: its pods' traffic to other addresses is masqueraded.</summary>
    public string ClusterCidr => "10.99.0.0/16";

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/containerd"))
        {
            throw new InvalidOperationException("these tests need root and containerd (scripts/setup.sh installs containerd, runc, containernetworking-plugins)");
        }

        var images = ImagesDir = await BuildImagesAsync();
        var config = new ContainerdConfig(Path.Combine(_dir, "containerd"), ContainerdConfig.DefaultPauseImage);
        Runtime = new CriRuntime(new CriRuntimeOptions(config.Socket, Path.Combine(_dir, "pods"), config.CniConfDir, Bridge, Path.Combine(_dir, "ipam"), ClusterCidr));
        _containerd = await ContainerdProcess.StartAsync(config, async ct => await Runtime.VersionAsync(ct), NullLogger.Instance, CancellationToken.None);
        await ImageArchives.ImportAllAsync(config.Socket, images, NullLogger.Instance, CancellationToken.None);
        await Runtime.UpdatePodCidrAsync(PodCidr, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_containerd is not null)
        {
            foreach (var sandbox in await Runtime.ListPodSandboxesAsync(CancellationToken.None))
            {
                await Runtime.StopPodSandboxAsync(sandbox.Id, CancellationToken.None);
                await Runtime.RemovePodSandboxAsync(sandbox.Id, CancellationToken.None);
            }

            await _containerd.DisposeAsync();
        }

        Runtime?.Dispose();
        await RunAsync("ip", "link", "delete", Bridge);
        PodMasquerade.Remove(Bridge);
        if (Directory.Exists(_dir))
        {
            await RunAsync("umount", "-R", "-l", _dir);
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>scripts/images/build.sh into the repository's .build/images (kept between runs: it rebuilds what is stale).</summary>
    private static async Task<string> BuildImagesAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "scripts", "images", "build.sh")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"scripts/images/build.sh not found above {AppContext.BaseDirectory}");
        }

        var output = Path.Combine(root.FullName, ".build", "images");
        await ImageBuild.WaitAsync();
        try
        {
            var (code, text) = await RunAsync("bash", Path.Combine(root.FullName, "scripts", "images", "build.sh"), output);
            return code == 0 ? output : throw new InvalidOperationException($"building the images failed: {text}");
        }
        finally
        {
            ImageBuild.Release();
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
