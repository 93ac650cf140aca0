using System.Text.Json.Nodes;
using Flotilla.Api.Serialization;
using Flotilla.Controllers.Deployment;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.DaemonSet;

/// <summary>
/// A DaemonSet's history (upstream's constructHistory and cleanupHistory): one ControllerRevision per pod template,
/// <c>&lt;name&gt;-&lt;hash&gt;</c> with the <c>controller-revision-hash</c> label and the template as a patch in
/// its data; the current one has the highest revision number; old ones beyond <c>revisionHistoryLimit</c> that no
/// pod uses are deleted, oldest first.
/// </summary>
public sealed partial class DaemonSetController
{
    public const string RevisionHashLabel = "controller-revision-hash";

    /// <summary>The current revision (made when the template is new) and the old ones.</summary>
    private async Task<(V1ControllerRevision Current, List<V1ControllerRevision> Old)> ConstructHistoryAsync(V1DaemonSet ds, CancellationToken cancellationToken)
    {
        var patch = Patch(ds);
        var revisions = _revisions.List(ds.Metadata.NamespaceProperty).Where(r => OwnerReferences.ControllerOf(r)?.Uid == ds.Metadata.Uid).ToList();
        var current = revisions.Where(r => Canonical(r.Data) == patch).OrderByDescending(r => r.Revision).ToList();
        var old = revisions.Except(current).ToList();
        var next = old.Select(r => r.Revision).DefaultIfEmpty(0).Max() + 1;
        if (current.Count == 0)
        {
            return (await SnapshotAsync(ds, patch, next ?? 1, cancellationToken), old);
        }

        var cur = current[0];
        if (cur.Revision < next)
        {
            var bumped = DeepCopy.Of(cur);
            bumped.Revision = next;
            cur = await _client.UpdateRevisionAsync(bumped, cancellationToken);
        }

        return (cur, old);
    }

    private async Task<V1ControllerRevision> SnapshotAsync(V1DaemonSet ds, string patch, long revision, CancellationToken cancellationToken)
    {
        var hash = PodTemplateHash.Compute(ds.Spec.Template, ds.Status?.CollisionCount);
        var labels = new Dictionary<string, string>(ds.Spec.Template.Metadata?.Labels ?? new Dictionary<string, string>()) { [RevisionHashLabel] = hash };
        var history = new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta
            {
                Name = $"{ds.Metadata.Name}-{hash}",
                NamespaceProperty = ds.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = ds.Metadata.Annotations is { } a ? new Dictionary<string, string>(a) : null,
                OwnerReferences = [OwnerReferences.ControllerRef(ds, "apps/v1", "DaemonSet")],
            },
            Data = JsonNode.Parse(patch),
            Revision = revision,
        };
        try
        {
            return await _client.CreateRevisionAsync(ds.Metadata.NamespaceProperty, history, cancellationToken);
        }
        catch (Exception e) when (Client.ApiErrors.IsConflict(e))
        {
            // Made already (a pass whose result the cache does not show yet), or a hash collision: count it, and retry.
            if (_revisions.Get(ds.Metadata.NamespaceProperty, history.Metadata.Name) is { } existing && Canonical(existing.Data) == patch)
            {
                return existing;
            }

            if (await _client.GetAsync(ds.Metadata.NamespaceProperty, ds.Metadata.Name, cancellationToken) is { } fresh && fresh.Status?.CollisionCount == ds.Status?.CollisionCount)
            {
                fresh.Status ??= new V1DaemonSetStatus();
                fresh.Status.CollisionCount = (fresh.Status.CollisionCount ?? 0) + 1;
                await _client.UpdateStatusAsync(fresh, cancellationToken);
            }

            throw;
        }
    }

    /// <summary>Deletes old revisions beyond the limit that no pod runs, oldest first.</summary>
    private async Task CleanupHistoryAsync(V1DaemonSet ds, List<V1ControllerRevision> old, List<V1Pod> pods, CancellationToken cancellationToken)
    {
        var toKill = old.Count - (ds.Spec.RevisionHistoryLimit ?? 10);
        if (toKill <= 0)
        {
            return;
        }

        var live = pods.Select(p => Value(p.Metadata.Labels, RevisionHashLabel)).Where(h => h is not null).ToHashSet();
        foreach (var history in old.OrderBy(r => r.Revision))
        {
            if (toKill <= 0)
            {
                break;
            }

            if (live.Contains(Value(history.Metadata.Labels, RevisionHashLabel)))
            {
                continue;
            }

            await _client.DeleteRevisionAsync(history.Metadata.NamespaceProperty, history.Metadata.Name, cancellationToken);
            toKill--;
        }
    }

    internal static string Patch(V1DaemonSet ds) => ControllerRevisions.Patch(ds.Spec.Template);

    private static string Canonical(object? data) => ControllerRevisions.Canonical(data);
}
