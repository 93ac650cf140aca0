using k8s;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// Which updates of a pod the kubelet acts on (upstream's pod config passes on spec and metadata changes, not the
/// status the kubelet itself wrote): a changed spec, labels, annotations or deletion, or someone else's condition
/// (a readiness gate).
/// </summary>
public static class PodUpdates
{
    private static readonly HashSet<string> KubeletConditions = ["PodScheduled", "PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready"];

    public static bool NeedsSync(V1Pod before, V1Pod after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Metadata.ResourceVersion == after.Metadata.ResourceVersion && before.Metadata.ResourceVersion is not null)
        {
            return false;  // a resync: the relist and the probes wake what needs waking
        }

        return before.Metadata.Uid != after.Metadata.Uid
            || before.Metadata.DeletionTimestamp != after.Metadata.DeletionTimestamp
            || before.Metadata.DeletionGracePeriodSeconds != after.Metadata.DeletionGracePeriodSeconds
            || !Same(before.Metadata.Labels, after.Metadata.Labels)
            || !Same(before.Metadata.Annotations, after.Metadata.Annotations)
            || KubernetesJson.Serialize(before.Spec) != KubernetesJson.Serialize(after.Spec)
            || Others(before) != Others(after);
    }

    private static bool Same(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a is null || a.Count == 0) ? b is null || b.Count == 0 : b is not null && a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static string Others(V1Pod pod) =>
        string.Join(';', (pod.Status?.Conditions ?? []).Where(c => !KubeletConditions.Contains(c.Type)).Select(c => $"{c.Type}={c.Status}"));
}
