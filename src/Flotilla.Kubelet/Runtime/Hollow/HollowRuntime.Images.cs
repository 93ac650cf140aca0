using System.Security.Cryptography;
using System.Text;

namespace Flotilla.Kubelet.Runtime.Hollow;

/// <summary>Simulated images: pulled after a delay, listed with a plausible size, removed on request.</summary>
public sealed partial class HollowRuntime
{
    public Task<IReadOnlyList<RuntimeImage>> ListImagesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RuntimeImage>>([.. _images.Keys.Order(StringComparer.Ordinal).Select(i => new RuntimeImage([i], ImageSize(i), ImageRef(i)))]);

    public Task RemoveImageAsync(string imageId, CancellationToken cancellationToken)
    {
        foreach (var image in _images.Keys.Where(i => ImageRef(i) == imageId).ToList())
        {
            _images.TryRemove(image, out _);
        }

        return Task.CompletedTask;
    }

    public Task<string?> ImageStatusAsync(string image, CancellationToken cancellationToken) =>
        Task.FromResult(_images.ContainsKey(image) ? ImageRef(image) : null);

    /// <summary>Simulated images say nothing of their user.</summary>
    public Task<(long? Uid, string? Name)> ImageUserAsync(string image, CancellationToken cancellationToken) => Task.FromResult<(long?, string?)>((null, null));

    /// <summary>Takes the pull delay; images of the reserved <c>.invalid</c> domain (RFC 2606) are not found; a login changes nothing.</summary>
    public async Task<string> PullImageAsync(string image, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        if (pullDelay > TimeSpan.Zero)
        {
            await Task.Delay(pullDelay, time, cancellationToken);
        }

        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? string.Empty : image[..slash].Split(':')[0];
        if (host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImagePullException($"failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found (simulated)");
        }

        _images.TryAdd(image, 0);
        return ImageRef(image);
    }

    /// <summary>A plausible size, the same for the same image: 1 to 65 MiB.</summary>
    internal static long ImageSize(string image) => (1L << 20) + (BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(image))) % (64u << 20));

    private static string ImageRef(string image) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));
}
