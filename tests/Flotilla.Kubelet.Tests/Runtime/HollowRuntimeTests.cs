using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Runtime.Hollow;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kubelet.Tests.Runtime;

public sealed class HollowRuntimeTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(new[] { "sh", "-c", "exit 3" }, 3)]
    [InlineData(new[] { "sh", "-c", "echo hi; exit 0" }, 0)]
    [InlineData(new[] { "/bin/sh", "-c", "sleep 2" }, 0)]
    public async Task ContainersThatSayHowTheyEnd_EndSo(string[] command, int exitCode)
    {
        var runtime = new HollowRuntime(_time);
        await runtime.UpdatePodCidrAsync("10.42.3.0/24", CancellationToken.None);
        var sandbox = await runtime.RunPodSandboxAsync(new PodSandboxConfig("p", "default", "uid-p", "p", 0), CancellationToken.None);
        var id = await runtime.CreateContainerAsync(sandbox, new ContainerConfig("c", "busybox:1.35", command, [], 0), CancellationToken.None);
        await runtime.StartContainerAsync(id, CancellationToken.None);
        Assert.Equal(ContainerState.Running, (await runtime.ListContainersAsync(sandbox, CancellationToken.None)).Single().State);

        _time.Advance(TimeSpan.FromSeconds(3));

        var container = (await runtime.ListContainersAsync(sandbox, CancellationToken.None)).Single();
        Assert.Equal((ContainerState.Exited, exitCode, exitCode == 0 ? "Completed" : "Error"), (container.State, container.ExitCode, container.Reason));
    }

    [Fact]
    public async Task AnythingElse_RunsUntilStopped_AndSandboxesGetIpsFromThePodSubnet_OnceThereIsOne()
    {
        var runtime = new HollowRuntime(_time);
        Assert.False((await runtime.StatusAsync(CancellationToken.None)).NetworkReady);
        await runtime.UpdatePodCidrAsync("10.42.3.0/24", CancellationToken.None);
        Assert.True((await runtime.StatusAsync(CancellationToken.None)).NetworkReady);

        var first = await runtime.RunPodSandboxAsync(new PodSandboxConfig("a", "default", "uid-a", "a", 0), CancellationToken.None);
        var second = await runtime.RunPodSandboxAsync(new PodSandboxConfig("b", "default", "uid-b", "b", 0), CancellationToken.None);
        var sandboxes = await runtime.ListPodSandboxesAsync(CancellationToken.None);
        Assert.Equal(["10.42.3.2", "10.42.3.3"], sandboxes.OrderBy(s => s.Ip, StringComparer.Ordinal).Select(s => s.Ip));

        var id = await runtime.CreateContainerAsync(first, new ContainerConfig("c", "busybox:1.35", ["sleep", "infinity"], [], 0), CancellationToken.None);
        await runtime.StartContainerAsync(id, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ContainerState.Running, (await runtime.ListContainersAsync(first, CancellationToken.None)).Single().State);

        await runtime.StopPodSandboxAsync(first, CancellationToken.None);
        Assert.Equal(HollowRuntime.KilledExitCode, (await runtime.ListContainersAsync(first, CancellationToken.None)).Single().ExitCode);
        await runtime.RemovePodSandboxAsync(first, CancellationToken.None);
        await runtime.RemovePodSandboxAsync(second, CancellationToken.None);
        Assert.Empty(await runtime.ListPodSandboxesAsync(CancellationToken.None));
        Assert.Empty(await runtime.ListContainersAsync(null, CancellationToken.None));
    }
}
