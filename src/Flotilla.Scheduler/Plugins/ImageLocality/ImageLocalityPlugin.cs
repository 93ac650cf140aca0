using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Plugins.ImageLocality;

/// <summary>
/// Prefers nodes that already hold the pod's images (upstream ImageLocality): the sizes of the images present,
/// each scaled by the share of nodes that hold it (so a node is not crowded for having a common image), clamped to
/// 23MB..1000MB per container and mapped onto 0-100.
/// </summary>
public sealed class ImageLocalityPlugin : IPreScorePlugin, IScorePlugin
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

    /// <summary>The pod's image names in every spelling a node may list, worked out once per cycle, not per node.</summary>
    public Status PreScore(CycleState state, V1Pod pod, IReadOnlyList<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.Write(PluginName, Images.Of(pod, Math.Max(1, _handle.Snapshot.List().Count)));
        return Status.Success;
    }

    public (long Score, Status Status) Score(CycleState state, V1Pod pod, NodeInfo node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(node);
        var images = state?.Read<Images>(PluginName) ?? Images.Of(pod, Math.Max(1, _handle.Snapshot.List().Count));
        var sum = 0L;
        for (var i = 0; i < images.Candidates.Count && node.ImageStates.Count > 0; i++)
        {
            if (Find(node, images.Candidates[i]) is { } image)
            {
                sum += (long)(image.Size * ((double)image.NumNodes / images.TotalNodes));
            }
        }

        var maxThreshold = MaxContainerThreshold * images.Candidates.Count;
        sum = Math.Clamp(sum, MinThreshold, Math.Max(MinThreshold, maxThreshold));
        return (IScorePlugin.MaxNodeScore * (sum - MinThreshold) / (maxThreshold - MinThreshold), Status.Success);
    }

    private static ImageStateSummary? Find(NodeInfo node, IReadOnlyList<string> candidates)
    {
        if (node.ImageStates.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            if (node.ImageStates.TryGetValue(candidates[i], out var state))
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>Per container (init containers included), the names its image may be listed under; and the node count.</summary>
    private sealed class Images(IReadOnlyList<IReadOnlyList<string>> candidates, int totalNodes) : IStateData
    {
        public IReadOnlyList<IReadOnlyList<string>> Candidates => candidates;

        public int TotalNodes => totalNodes;

        public static Images Of(V1Pod pod, int totalNodes) =>
            new([.. (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []).Select(c => string.IsNullOrEmpty(c.Image) ? [] : ImageNames.Candidates(c.Image))], totalNodes);

        public IStateData Clone() => this;
    }
}
