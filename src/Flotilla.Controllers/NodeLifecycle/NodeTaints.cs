using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Controllers.NodeLifecycle;

/// <summary>
/// The node controller's taint writes (upstream SwapNodeControllerTaint, AddOrUpdateTaintOnNode, RemoveTaintOffNode):
/// read the node, change only the taints with the given key and effect, and write the whole list back with the
/// read's resourceVersion as precondition, retrying conflicts. Added taints carry <c>timeAdded</c>.
/// </summary>
public static class NodeTaints
{
    public const string NotReady = "node.kubernetes.io/not-ready";
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string Unschedulable = "node.kubernetes.io/unschedulable";
    public const string MemoryPressure = "node.kubernetes.io/memory-pressure";
    public const string DiskPressure = "node.kubernetes.io/disk-pressure";
    public const string PidPressure = "node.kubernetes.io/pid-pressure";
    public const string NetworkUnavailable = "node.kubernetes.io/network-unavailable";

    private const int Attempts = 5;

    public static V1Taint NoExecute(string key) => new() { Key = key, Effect = "NoExecute" };

    public static V1Taint NoSchedule(string key) => new() { Key = key, Effect = "NoSchedule" };

    public static bool Has(V1Node node, V1Taint taint) => node.Spec?.Taints?.Any(t => Matches(t, taint)) == true;

    /// <summary>Same key and effect (upstream MatchTaint).</summary>
    public static bool Matches(V1Taint a, V1Taint b) => a.Key == b.Key && a.Effect == b.Effect;

    /// <summary>Adds <paramref name="add"/> then removes <paramref name="remove"/>; false (and nothing more) when a write fails.</summary>
    public static async Task<bool> SwapAsync(IKubernetes client, V1Node node, IReadOnlyList<V1Taint> add, IReadOnlyList<V1Taint> remove, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var stamp = Api.Timestamps.Of(now);
        var added = add.Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect, TimeAdded = stamp }).ToList();
        try
        {
            if (added.Count > 0)
            {
                await ChangeAsync(client, node.Metadata.Name, taints =>
                {
                    foreach (var taint in added)
                    {
                        taints.RemoveAll(t => Matches(t, taint));
                        taints.Add(taint);
                    }
                }, cancellationToken);
            }

            if (remove.Any(r => Has(node, r)))
            {
                await ChangeAsync(client, node.Metadata.Name, taints => taints.RemoveAll(t => remove.Any(r => Matches(t, r))), cancellationToken);
            }

            return true;
        }
        catch (HttpOperationException)
        {
            return false;
        }
    }

    private static async Task ChangeAsync(IKubernetes client, string name, Action<List<V1Taint>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var node = await client.CoreV1.ReadNodeAsync(name, cancellationToken: cancellationToken);
            var before = node.Spec?.Taints ?? [];
            var taints = before.ToList();
            change(taints);
            if (Same(before, taints))
            {
                return;
            }

            var patch = KubernetesJson.Serialize(new V1Node { Metadata = new V1ObjectMeta { ResourceVersion = node.Metadata.ResourceVersion }, Spec = new V1NodeSpec { Taints = taints } });
            try
            {
                await client.CoreV1.PatchNodeAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, cancellationToken: cancellationToken);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict && attempt < Attempts)
            {
                // Someone else wrote the node meanwhile: read it again.
            }
        }
    }

    private static bool Same(IList<V1Taint> a, IList<V1Taint> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Key == p.Second.Key && p.First.Value == p.Second.Value && p.First.Effect == p.Second.Effect && p.First.TimeAdded == p.Second.TimeAdded);
}
