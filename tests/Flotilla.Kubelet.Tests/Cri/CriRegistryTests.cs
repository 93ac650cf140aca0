using Flotilla.Kubelet.Runtime;
using Flotilla.Tests.Shared;

namespace Flotilla.Kubelet.Tests.Cri;

/// <summary>Pulls through CRI from a real registry (Debian's docker-registry with htpasswd auth on 127.0.0.1) into a real containerd.</summary>
public sealed class CriRegistryTests(ContainerdNode node) : IClassFixture<ContainerdNode>
{
    private readonly CancellationToken _ct = CancellationToken.None;

    [Fact]
    public async Task APull_FromARegistryWithAuth_NeedsItsCredentials()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await registry.PushAsync(Path.Combine(node.ImagesDir, "busybox-1.35.tar"), "1.35", "private/busybox");
        var image = $"{registry.Host}/private/busybox:1.35";

        var refused = await Assert.ThrowsAsync<ImagePullException>(() => node.Runtime.PullImageAsync(image, null, _ct));
        Assert.Contains("401 Unauthorized", refused.Message, StringComparison.Ordinal);
        var wrong = await Assert.ThrowsAsync<ImagePullException>(() => node.Runtime.PullImageAsync(image, new RegistryAuth(LocalRegistry.User, "wrong"), _ct));
        Assert.StartsWith("rpc error: code = ", wrong.Message, StringComparison.Ordinal);

        var pulled = await node.Runtime.PullImageAsync(image, new RegistryAuth(LocalRegistry.User, LocalRegistry.Password), _ct);
        Assert.StartsWith("sha256:", pulled, StringComparison.Ordinal);
        Assert.Equal(pulled, await node.Runtime.ImageStatusAsync(image, _ct));
    }
}
