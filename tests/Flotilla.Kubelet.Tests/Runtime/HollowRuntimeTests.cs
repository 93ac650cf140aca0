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

    [Fact]
    public async Task Sigterm_EndsAContainerAtOnce_UnlessItIsTrapped_ThenItIsKilledAfterTheTimeout()
    {
        var (runtime, sandbox) = await SandboxAsync();
        var plain = await StartedAsync(runtime, sandbox, "plain", "sleep infinity");
        var stubborn = await StartedAsync(runtime, sandbox, "stubborn", "trap '' TERM; sleep infinity");

        await runtime.StopContainerAsync(plain, TimeSpan.FromSeconds(30), CancellationToken.None);
        var stopping = runtime.StopContainerAsync(stubborn, TimeSpan.FromSeconds(30), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(stopping.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await stopping.WaitAsync(TimeSpan.FromSeconds(5));

        var containers = await runtime.ListContainersAsync(sandbox, CancellationToken.None);
        Assert.Equal(HollowRuntime.TerminatedExitCode, containers.Single(c => c.Id == plain).ExitCode);
        Assert.Equal(HollowRuntime.KilledExitCode, containers.Single(c => c.Id == stubborn).ExitCode);
    }

    [Fact]
    public async Task Exec_AnswersFromTheCommand_AndTimesOut()
    {
        var (runtime, sandbox) = await SandboxAsync();
        var id = await StartedAsync(runtime, sandbox, "app", "sleep infinity");

        Assert.Equal(0, (await runtime.ExecSyncAsync(id, ["cat", "/tmp/healthy"], TimeSpan.FromSeconds(1), CancellationToken.None)).ExitCode);
        Assert.Equal(1, (await runtime.ExecSyncAsync(id, ["sh", "-c", "exit 1"], TimeSpan.FromSeconds(1), CancellationToken.None)).ExitCode);
        var slow = runtime.ExecSyncAsync(id, ["sleep", "5"], TimeSpan.FromSeconds(1), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TimeoutException>(() => slow.WaitAsync(TimeSpan.FromSeconds(5)));

        await runtime.StopContainerAsync(id, TimeSpan.Zero, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.ExecSyncAsync(id, ["true"], TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task Pulls_TakeTheirDelay_AndImagesOfTheInvalidDomainAreNotFound()
    {
        var runtime = new HollowRuntime(_time, pullDelay: TimeSpan.FromSeconds(2));
        var pull = runtime.PullImageAsync("busybox:1.35", null, CancellationToken.None);
        Assert.Null(await runtime.ImageStatusAsync("busybox:1.35", CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(2));
        var imageRef = await pull.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(imageRef, await runtime.ImageStatusAsync("busybox:1.35", CancellationToken.None));
        Assert.Contains(await runtime.ListImagesAsync(CancellationToken.None), i => i.Names.Contains("busybox:1.35") && i.SizeBytes > 0);
        var missing = runtime.PullImageAsync("registry.example.invalid/app:1", null, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        var error = await Assert.ThrowsAsync<ImagePullException>(() => missing.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AContainerThatWritesItsTerminationMessage_ReportsIt()
    {
        var (runtime, sandbox) = await SandboxAsync();
        var id = await StartedAsync(runtime, sandbox, "job", "echo 'bad config' > /dev/termination-log; exit 2");
        _time.Advance(TimeSpan.FromSeconds(1));

        var container = (await runtime.ListContainersAsync(sandbox, CancellationToken.None)).Single(c => c.Id == id);
        Assert.Equal((ContainerState.Exited, 2, "bad config"), (container.State, container.ExitCode, container.Message));
    }

    private async Task<(HollowRuntime Runtime, string Sandbox)> SandboxAsync()
    {
        var runtime = new HollowRuntime(_time);
        await runtime.UpdatePodCidrAsync("10.42.3.0/24", CancellationToken.None);
        return (runtime, await runtime.RunPodSandboxAsync(new PodSandboxConfig("p", "default", "uid-p", "p", 0), CancellationToken.None));
    }

    private static async Task<string> StartedAsync(HollowRuntime runtime, string sandbox, string name, string script)
    {
        var id = await runtime.CreateContainerAsync(sandbox, new ContainerConfig(name, "busybox:1.35", ["sh", "-c", script], [], 0), CancellationToken.None);
        await runtime.StartContainerAsync(id, CancellationToken.None);
        return id;
    }
}
