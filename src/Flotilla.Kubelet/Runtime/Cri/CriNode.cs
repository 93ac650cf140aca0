using Microsoft.Extensions.Logging;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>
/// A real node's runtime under one data dir: <c>containerd/</c> (its config, root, state, socket, CNI conf),
/// <c>pods/</c> (logs and termination messages), <c>cni/ipam/</c>, <c>kubelet/</c> (volume files), and the bridge. <see cref="StartAsync"/> runs
/// containerd and imports the air-gap images; <see cref="ResetAsync"/> removes every sandbox, mount, the bridge and
/// those dirs (<c>flotilla reset</c>). Its pods' traffic leaving <paramref name="clusterCidr"/> is masqueraded.
/// </summary>
public sealed class CriNode(string dataDir, string bridge = CriNode.DefaultBridge, string? clusterCidr = null, int? mtu = null) : IAsyncDisposable
{
    public const string DefaultBridge = "flotilla0";

    private ContainerdProcess? _containerd;

    public ContainerdConfig Containerd { get; } = new(Path.Combine(dataDir, "containerd"), ContainerdConfig.DefaultPauseImage);

    public CriRuntimeOptions Options => new(Containerd.Socket, Path.Combine(dataDir, "pods"), Containerd.CniConfDir, bridge, Path.Combine(dataDir, "cni", "ipam"), clusterCidr, mtu);

    /// <summary>The kubelet's root: its pods' volume files (tmpfs mounts among them).</summary>
    public string KubeletRoot => Path.Combine(dataDir, "kubelet");

    /// <summary>Starts containerd, imports the archives of <paramref name="imageDirs"/>, and returns the runtime over it.</summary>
    public async Task<CriRuntime> StartAsync(IEnumerable<string> imageDirs, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(imageDirs);
        var runtime = new CriRuntime(Options);
        try
        {
            _containerd = await ContainerdProcess.StartAsync(Containerd, async ct => await runtime.VersionAsync(ct), log, cancellationToken);
            foreach (var dir in imageDirs)
            {
                await ImageArchives.ImportAllAsync(Containerd.Socket, dir, log, cancellationToken);
            }

            return runtime;
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
    }

    /// <summary>Stops containerd; the pods live on in their shims until the node starts again (or is reset).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_containerd is not null)
        {
            await _containerd.DisposeAsync();
        }
    }

    /// <summary>Everything the node made: sandboxes and containers (through a containerd started for it), network namespace mounts, the bridge, the dirs.</summary>
    public async Task ResetAsync(ILogger log, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Containerd.Dir))
        {
            return;
        }

        using (var runtime = await StartAsync([], log, cancellationToken))
        {
            foreach (var sandbox in await runtime.ListPodSandboxesAsync(cancellationToken))
            {
                await runtime.StopPodSandboxAsync(sandbox.Id, cancellationToken);
                await runtime.RemovePodSandboxAsync(sandbox.Id, cancellationToken);
                Node.PodCgroups.Remove(sandbox.Config.Uid);
            }
        }

        await DisposeAsync();

        // What containerd could not remove (state lost under it): its shims go by their socket, its mounts by path.
        Node.HostCommand.Run("pkill", "-KILL", "-f", $"containerd-shim.* -address {Containerd.Socket}");
        Node.HostCommand.Run("ip", "link", "delete", bridge);
        Network.PodMasquerade.Remove(bridge);
        UnmountUnder(Containerd.Dir);
        UnmountUnder(KubeletRoot);
        foreach (var dir in new[] { Containerd.Dir, Options.PodsDir, Path.GetDirectoryName(Options.IpamDir)!, KubeletRoot })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Every mount at or below <paramref name="dir"/> (the volumes' tmpfs).</summary>
    private static void UnmountUnder(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return;
        }

        foreach (var mount in Volumes.Mounts.Under(dir))
        {
            Node.HostCommand.Run("umount", "-l", mount);
        }
    }
}
