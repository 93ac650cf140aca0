using Flotilla.Client;
using Flotilla.Client.Events;
using k8s.Models;

namespace Flotilla.Controllers.StatefulSet;

/// <summary>What the replica loop does to one pod and its claims (upstream's StatefulPodControl), each with its event.</summary>
public sealed partial class StatefulSetController
{
    /// <summary>Upstream's CreateStatefulPod: the claims first, then the pod, each with its event.</summary>
    private async Task CreatePodAsync(V1StatefulSet set, V1Pod pod, int ordinal, CancellationToken cancellationToken)
    {
        try
        {
            await CreateClaimsAsync(set, pod, ordinal, cancellationToken);
            await _podControl.CreatePodAsync(set.Metadata.NamespaceProperty, pod, set, cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsConflict(e))
        {
            return;  // exists already: the cache will show it
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _events.Event(set, EventTypes.Warning, "FailedCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {ApiErrors.Describe(e)}");
            throw;
        }

        _events.Event(set, EventTypes.Normal, "SuccessfulCreate", $"create Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful");
    }

    /// <summary>Upstream's UpdateStatefulPod: a pod whose identity labels or claim volumes were changed gets them back (missing claims are made first).</summary>
    private async Task UpdatePodAsync(V1StatefulSet set, V1Pod pod, int ordinal, CancellationToken cancellationToken)
    {
        try
        {
            if (!StatefulPods.StorageMatches(set, pod))
            {
                await CreateClaimsAsync(set, pod, ordinal, cancellationToken);
            }

            await _podControl.PatchAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, StatefulPods.FixPatch(set, pod), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _events.Event(set, EventTypes.Warning, "FailedUpdate", $"update Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {ApiErrors.Describe(e)}");
            throw;
        }

        _events.Event(set, EventTypes.Normal, "SuccessfulUpdate", $"update Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful");
    }

    private async Task CreateClaimsAsync(V1StatefulSet set, V1Pod pod, int ordinal, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var claim in StatefulPods.Claims(set, ordinal))
        {
            var existing = await _client.GetClaimAsync(claim.Metadata.NamespaceProperty, claim.Metadata.Name, cancellationToken);
            if (existing is null)
            {
                try
                {
                    await _client.CreateClaimAsync(claim.Metadata.NamespaceProperty, claim, cancellationToken);
                    _events.Event(set, EventTypes.Normal, "SuccessfulCreate", $"create Claim {claim.Metadata.Name} Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} success");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    errors.Add($"failed to create PVC {claim.Metadata.Name}: {ApiErrors.Describe(e)}");
                    if (!ApiErrors.IsConflict(e))
                    {
                        _events.Event(set, EventTypes.Warning, "FailedCreate", $"create Claim {claim.Metadata.Name} for Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {ApiErrors.Describe(e)}");
                    }
                }
            }
            else if (existing.Metadata.DeletionTimestamp is not null)
            {
                errors.Add($"pvc {claim.Metadata.Name} is being deleted");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(", ", errors));
        }
    }

    /// <summary>
    /// <c>whenScaled: Delete</c> (upstream's UpdatePodClaimForRetentionPolicy for a condemned pod): each of its claims
    /// gets the pod as an owner, so the garbage collector deletes the claim once the pod is gone.
    /// </summary>
    private async Task OwnClaimsByPodAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        foreach (var template in set.Spec.VolumeClaimTemplates ?? [])
        {
            var name = StatefulPods.ClaimName(set, template, StatefulPods.Ordinal(pod));
            if (await _client.GetClaimAsync(set.Metadata.NamespaceProperty, name, cancellationToken) is not { } claim ||
                claim.Metadata.OwnerReferences?.Any(r => r.Uid == pod.Metadata.Uid) == true)
            {
                continue;
            }

            claim.Metadata.OwnerReferences = [.. claim.Metadata.OwnerReferences ?? [], new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid }];
            await _client.UpdateClaimAsync(claim, cancellationToken);
        }
    }

    /// <summary>Upstream's DeleteStatefulPod, with its event.</summary>
    private async Task DeletePodAsync(V1StatefulSet set, V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await _podControl.DeleteAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, set, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !ApiErrors.IsNotFound(e))
        {
            _events.Event(set, EventTypes.Warning, "FailedDelete", $"delete Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {ApiErrors.Describe(e)}");
            throw;
        }

        _events.Event(set, EventTypes.Normal, "SuccessfulDelete", $"delete Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful");
    }
}
