using Flotilla.Client.Events;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Node;

/// <summary>
/// Upstream's image garbage collector: every 5 min the images are looked at (when each was first seen, when a
/// container last used it); when the image filesystem is 85 % full or more, images no container uses — and not
/// the pause image — are removed, least recently used first and none younger than 2 min, until it would be 80 %
/// full. When that cannot be reached the node gets a <c>FreeDiskSpaceFailed</c> event.
/// </summary>
public sealed class ImageGc(IContainerRuntime runtime, IEventRecorder events, V1ObjectReference node, IReadOnlySet<string> pinned, TimeProvider time)
{
    public const int HighThresholdPercent = 85;
    public const int LowThresholdPercent = 80;

    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MinAge = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, (DateTimeOffset FirstDetected, DateTimeOffset LastUsed)> _records = new(StringComparer.Ordinal);

    /// <summary>Bytes removed this time (0 when the disk is below the high threshold).</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var images = await runtime.ListImagesAsync(cancellationToken);
        var inUse = (await runtime.ListContainersAsync(null, cancellationToken)).Select(c => c.ImageRef).ToHashSet(StringComparer.Ordinal);
        foreach (var image in images)
        {
            var record = _records.TryGetValue(image.Id, out var known) ? known : (now, DateTimeOffset.MinValue);
            _records[image.Id] = inUse.Contains(image.Id) ? (record.Item1, now) : record;
        }

        foreach (var gone in _records.Keys.Except(images.Select(i => i.Id)).ToList())
        {
            _records.Remove(gone);
        }

        var fs = (await runtime.NodeUsageAsync(cancellationToken)).ImageFs;
        if (fs.CapacityBytes == 0 || (fs.CapacityBytes - fs.AvailableBytes) * 100 / fs.CapacityBytes < HighThresholdPercent)
        {
            return 0;
        }

        var toFree = (long)(fs.CapacityBytes * (100 - LowThresholdPercent) / 100) - (long)fs.AvailableBytes;
        long freed = 0;
        var candidates = images
            .Where(i => !inUse.Contains(i.Id) && !i.Names.Any(pinned.Contains) && now - _records[i.Id].FirstDetected >= MinAge)
            .OrderBy(i => _records[i.Id].LastUsed)
            .ThenBy(i => _records[i.Id].FirstDetected);
        foreach (var image in candidates)
        {
            if (freed >= toFree)
            {
                break;
            }

            await runtime.RemoveImageAsync(image.Id, cancellationToken);
            _records.Remove(image.Id);
            freed += image.SizeBytes;
        }

        if (freed < toFree)
        {
            events.Event(node, EventTypes.Warning, "FreeDiskSpaceFailed", $"Failed to garbage collect required amount of images. Attempted to free {toFree} bytes, but only found {freed} bytes eligible to free.");
        }

        return freed;
    }
}
