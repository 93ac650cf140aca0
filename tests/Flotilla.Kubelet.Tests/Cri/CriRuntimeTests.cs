using System.Net;
using Flotilla.Kubelet.Runtime;

namespace Flotilla.Kubelet.Tests.Cri;

/// <summary>The CRI runtime against a real containerd + runc: sandboxes with pod IPs, containers, logs, exec, exit codes and termination messages, images.</summary>
public sealed class CriRuntimeTests(ContainerdNode node) : IClassFixture<ContainerdNode>
{
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task TheRuntime_IsContainerd_ReadyWithItsNetwork_AndHoldsTheOfflineImages()
    {
        var version = await node.Runtime.VersionAsync(_ct);
        Assert.Equal("containerd", version.Name);
        Assert.StartsWith("1.6", version.Version, StringComparison.Ordinal);
        var status = await node.Runtime.StatusAsync(_ct);
        Assert.True(status.Ready && status.NetworkReady, $"{status.Reason}: {status.Message}");
        Assert.NotNull(await node.Runtime.ImageStatusAsync("busybox:1.35", _ct));
        Assert.Null(await node.Runtime.ImageStatusAsync("busybox:0.1", _ct));
        Assert.Contains(await node.Runtime.ListImagesAsync(_ct), i => i.Names.Contains("docker.io/library/busybox:1.35"));
        var e = await Assert.ThrowsAsync<ImagePullException>(() => node.Runtime.PullImageAsync("registry.invalid/none:1", null, _ct));
        Assert.StartsWith("rpc error: code = ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APod_GetsAnIpOfTheNode_RunsItsContainer_LogsExecsAndStops()
    {
        var sandbox = await node.Runtime.RunPodSandboxAsync(new PodSandboxConfig("web", "default", Guid.NewGuid().ToString(), "web-host", 0), _ct);
        var listed = Assert.Single(await node.Runtime.ListPodSandboxesAsync(_ct), s => s.Id == sandbox);
        Assert.True(listed.Ready);
        Assert.True(InSubnet(listed.Ip!, node.PodCidr), $"{listed.Ip} not in {node.PodCidr}");
        Assert.Equal(("web", "default"), (listed.Config.Name, listed.Config.Namespace));

        var id = await node.Runtime.CreateContainerAsync(sandbox, new ContainerConfig("app", "busybox:1.35", ["sh", "-c", "trap '' TERM; echo hello from a real container; while true; do sleep 1; done"], [], 0), _ct);
        await node.Runtime.StartContainerAsync(id, _ct);
        var running = Assert.Single(await node.Runtime.ListContainersAsync(sandbox, _ct));
        Assert.Equal((ContainerState.Running, "app", "docker.io/library/busybox:1.35"), (running.State, running.Name, running.Image));   // normalized, as containerd reports it
        Assert.NotNull(running.StartedAt);

        var log = await ReadLogAsync(id, l => l.Contains("hello from a real container", StringComparison.Ordinal));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d) stdout F hello from a real container$", log.Split('\n')[0]);

        var hostname = await node.Runtime.ExecSyncAsync(id, ["cat", "/etc/hostname"], TimeSpan.FromSeconds(10), _ct);
        Assert.Equal((0, "web-host\n"), (hostname.ExitCode, hostname.Stdout));
        Assert.Equal(3, (await node.Runtime.ExecSyncAsync(id, ["sh", "-c", "exit 3"], TimeSpan.FromSeconds(10), _ct)).ExitCode);

        // It ignores SIGTERM: killed when the grace period ends.
        await node.Runtime.StopContainerAsync(id, TimeSpan.FromSeconds(1), _ct);
        var stopped = Assert.Single(await node.Runtime.ListContainersAsync(sandbox, _ct));
        Assert.Equal((ContainerState.Exited, 137), (stopped.State, stopped.ExitCode));

        await node.Runtime.StopPodSandboxAsync(sandbox, _ct);
        await node.Runtime.RemovePodSandboxAsync(sandbox, _ct);
        Assert.DoesNotContain(await node.Runtime.ListPodSandboxesAsync(_ct), s => s.Id == sandbox);
    }

    [Fact]
    public async Task AContainerThatFails_ExitsWithItsCode_AndItsTerminationMessage()
    {
        var sandbox = await node.Runtime.RunPodSandboxAsync(new PodSandboxConfig("job", "default", Guid.NewGuid().ToString(), "job", 0), _ct);
        var id = await node.Runtime.CreateContainerAsync(sandbox, new ContainerConfig("w", "busybox:1.35", ["sh", "-c", "echo 'disk full' > /dev/termination-log; exit 2"], [], 0), _ct);
        await node.Runtime.StartContainerAsync(id, _ct);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        ContainerStatus status;
        do
        {
            status = Assert.Single(await node.Runtime.ListContainersAsync(sandbox, _ct));
            await Task.Delay(100);
        }
        while (status.State != ContainerState.Exited && DateTime.UtcNow < deadline);

        Assert.Equal((ContainerState.Exited, 2, "Error", "disk full\n"), (status.State, status.ExitCode, status.Reason, status.Message));
        await node.Runtime.StopPodSandboxAsync(sandbox, _ct);
        await node.Runtime.RemovePodSandboxAsync(sandbox, _ct);
    }

    [Fact]
    public async Task ALogOverItsSize_IsRotated_TheRuntimeWritesOnInANewFile_OldOnesGzippedAndCapped()
    {
        var uid = Guid.NewGuid().ToString();
        var sandbox = await node.Runtime.RunPodSandboxAsync(new PodSandboxConfig("chatty", "default", uid, "chatty", 0), _ct);
        var id = await node.Runtime.CreateContainerAsync(sandbox, new ContainerConfig("talk", "busybox:1.35", ["sh", "-c", "i=0; while true; do i=$((i+1)); echo line $i of a chatty container that fills its log; sleep 0.01; done"], [], 0), _ct);
        await node.Runtime.StartContainerAsync(id, _ct);
        var log = Path.Combine(node.Runtime.PodDirectory("default", "chatty", uid), "talk", "0.log");
        for (var pass = 0; pass < 4; pass++)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((!File.Exists(log) || new FileInfo(log).Length <= 2048) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Equal(1, await node.Runtime.RotateLogsAsync(2048, 3, _ct));
            await Task.Delay(1100);   // rotated names are to the second
        }

        await node.Runtime.RotateLogsAsync(long.MaxValue, 3, _ct);   // the clean-up pass
        var rotated = Directory.EnumerateFiles(Path.GetDirectoryName(log)!).Where(f => Path.GetFileName(f).StartsWith("0.log.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, rotated.Count);
        Assert.EndsWith(".gz", rotated[0], StringComparison.Ordinal);
        Assert.DoesNotContain(".gz", rotated[1], StringComparison.Ordinal);
        var fresh = await ReadLogAsync(id, t => t.Contains("chatty container", StringComparison.Ordinal));
        Assert.Contains("stdout F line ", fresh, StringComparison.Ordinal);
        await node.Runtime.StopPodSandboxAsync(sandbox, _ct);
        await node.Runtime.RemovePodSandboxAsync(sandbox, _ct);
    }

    private async Task<string> ReadLogAsync(string id, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            await using var stream = await node.Runtime.OpenLogAsync(id, _ct);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync();
            if (done(text) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(100);
        }
    }

    private static bool InSubnet(string ip, string cidr)
    {
        var network = IPNetwork.Parse(cidr);
        return network.Contains(IPAddress.Parse(ip));
    }
}
