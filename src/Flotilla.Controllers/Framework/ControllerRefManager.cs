using Flotilla.Client;
using Flotilla.Api.Selectors;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>
/// Upstream's ControllerRefManager: of the candidates, the ones an owner controls — after adopting matching orphans
/// (once a fresh read has shown the owner still there and not being deleted) and releasing children that no longer
/// match. Objects another controller owns are left alone; an owner being deleted adopts and releases nothing.
/// </summary>
public sealed class ControllerRefManager<T>(
    IKubernetesObject<V1ObjectMeta> owner,
    string apiVersion,
    string kind,
    LabelSelector selector,
    Func<CancellationToken, Task<string?>> canAdopt,
    Func<T, string, CancellationToken, Task> patch)
    where T : IKubernetesObject<V1ObjectMeta>
{
    /// <exception cref="InvalidOperationException">Some adoption or release failed (those that worked are kept).</exception>
    public async Task<List<T>> ClaimAsync(IEnumerable<T> candidates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var owned = new List<T>();
        var errors = new List<string>();
        var deleting = owner.Metadata.DeletionTimestamp is not null;
        string? refusal = null;
        var checkedAdoption = false;
        foreach (var obj in candidates)
        {
            var controllerRef = OwnerReferences.ControllerOf(obj);
            var matches = selector.Matches(obj.Metadata.Labels as IReadOnlyDictionary<string, string>);
            if (controllerRef is not null)
            {
                if (controllerRef.Uid != owner.Metadata.Uid)
                {
                    continue;  // another controller's
                }

                if (matches || deleting)
                {
                    owned.Add(obj);
                }
                else
                {
                    await PatchAsync(obj, OwnerReferences.ReleasePatch(owner.Metadata.Uid, obj.Metadata.Uid), errors, cancellationToken);
                }

                continue;
            }

            if (!matches || deleting || obj.Metadata.DeletionTimestamp is not null)
            {
                continue;
            }

            if (!checkedAdoption)
            {
                refusal = await canAdopt(cancellationToken);
                checkedAdoption = true;
                if (refusal is not null)
                {
                    errors.Add(refusal);
                }
            }

            if (refusal is null && await PatchAsync(obj, OwnerReferences.AdoptPatch(OwnerReferences.ControllerRef(owner, apiVersion, kind), obj.Metadata.Uid), errors, cancellationToken))
            {
                owned.Add(obj);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        return owned;
    }

    /// <summary>
    /// Upstream RecheckDeletionTimestamp: null when a fresh read shows the owner with the same UID and not being
    /// deleted, else why it may not adopt.
    /// </summary>
    public static async Task<string?> FreshOwnerCheckAsync(IKubernetesObject<V1ObjectMeta> owner, string kind, Func<Task<IKubernetesObject<V1ObjectMeta>?>> read)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(read);
        var fresh = await read();
        var (ns, name) = (owner.Metadata.NamespaceProperty, owner.Metadata.Name);
        if (fresh is null || fresh.Metadata.Uid != owner.Metadata.Uid)
        {
            return $"original {kind} {ns}/{name} is gone: got uid {fresh?.Metadata.Uid}, wanted {owner.Metadata.Uid}";
        }

        return fresh.Metadata.DeletionTimestamp is { } at ? $"{ns}/{name} has just been deleted at {at}" : null;
    }

    private async Task<bool> PatchAsync(T obj, string body, List<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            await patch(obj, body, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (!ApiErrors.IsNotFound(e))
            {
                errors.Add(ApiErrors.Describe(e));
            }

            return false;
        }
    }
}
