using Flotilla.Kubelet.Node;
using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Runtime.Hollow;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kubelet.Tests.Node;

public sealed class ImageGcTests
{
    private const ulong Disk = 1000UL << 20;
    private static readonly V1ObjectReference NodeRef = new() { Kind = "Node", Name = "n1" };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 13, 0, 0, TimeSpan.Zero));
    private readonly HollowRuntime _runtime;
    private readonly RecordingEvents _events = new();

    public ImageGcTests() => _runtime = new HollowRuntime(_time);

    [Fact]
    public async Task BelowTheHighThreshold_NothingIsRemoved()
    {
        await PullAsync("a:1", "b:1");
        _runtime.Disk = Used(84);
        var gc = new ImageGc(_runtime, _events, NodeRef, new HashSet<string>(), _time);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await gc.RunOnceAsync(CancellationToken.None));
        Assert.Equal(2, (await _runtime.ListImagesAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AFullDisk_LosesUnusedImages_LeastRecentlyUsedFirst_ButNotThoseInUse_PinnedOrYoung()
    {
        await PullAsync("old:1", "used:1", "pause:3.10");
        var gc = new ImageGc(_runtime, _events, NodeRef, new HashSet<string> { "pause:3.10" }, _time);
        var sandbox = await _runtime.RunPodSandboxAsync(new PodSandboxConfig("p", "default", "uid", "p", 0), CancellationToken.None);
        await _runtime.CreateContainerAsync(sandbox, new ContainerConfig("c", "used:1", ["sleep", "3600"], [], 0), CancellationToken.None);
        await gc.RunOnceAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));
        await PullAsync("young:1");

        // 90 % full: 100 MiB to free to be at 80 %; only old:1 may go.
        _runtime.Disk = Used(90);
        var freed = await gc.RunOnceAsync(CancellationToken.None);
        var left = (await _runtime.ListImagesAsync(CancellationToken.None)).SelectMany(i => i.Names).Order(StringComparer.Ordinal);
        Assert.Equal(["pause:3.10", "used:1", "young:1"], left);
        Assert.Equal(HollowRuntime.ImageSize("old:1"), freed);
        var failed = Assert.Single(_events.Recorded);
        Assert.Equal(("n1", "FreeDiskSpaceFailed"), (failed.Name, failed.Reason));
        Assert.Equal($"Failed to garbage collect required amount of images. Attempted to free {100L << 20} bytes, but only found {freed} bytes eligible to free.", failed.Message);
    }

    private static FsUsage Used(int percent) => new(Disk, Disk * (ulong)(100 - percent) / 100, Disk * (ulong)percent / 100);

    private async Task PullAsync(params string[] images)
    {
        foreach (var image in images)
        {
            await _runtime.PullImageAsync(image, null, CancellationToken.None);
        }
    }
}
