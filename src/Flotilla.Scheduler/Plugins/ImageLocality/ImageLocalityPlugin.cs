using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.ImageLocality;

/// <summary>
/// Prefers nodes that already hold the pod's images (upstream ImageLocality): the sizes of the images present,
/// each scaled by the share of nodes that hold it (so a node is not crowded for having a common image), clamped to
/// 23MB..1000MB per container and mapped onto 0-100.
/// </summary>
public sealed class ImageLocalityPlugin : IScorePlugin
{
    public const string PluginName = "ImageLocality";

    private const long Mb = 1024 * 1024;
    private const long MinThreshold = 23 * Mb;
    private const long MaxContainerThreshold = 1000 * Mb;

    private readonly IFrameworkHandle _handle;

    public ImageLocalityPlugin(IFrameworkHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
    }

    public string Name => PluginName;

    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var totalNodes = Math.Max(1, _handle.Snapshot.List().Count);
        var containers = (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).ToList();
        var sum = 0L;
        foreach (var container in containers)
        {
            if (Find(node, container.Image) is { } image)
            {
                sum += (long)(image.Size * ((double)image.NumNodes / totalNodes));
            }
        }

        var maxThreshold = MaxContainerThreshold * containers.Count;
        sum = Math.Clamp(sum, MinThreshold, Math.Max(MinThreshold, maxThreshold));
        return (IScorePlugin.MaxNodeScore * (sum - MinThreshold) / (maxThreshold - MinThreshold), Status.Success);
    }

    private static ImageStateSummary? Find(NodeInfo node, string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return null;
        }

        foreach (var name in ImageNames.Candidates(image))
        {
            if (node.ImageStates.TryGetValue(name, out var state))
            {
                return state;
            }
        }

        return null;
    }
}
