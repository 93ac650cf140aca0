using System.Globalization;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Admission;
using Flotilla.Storage;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>Delete: preconditions, then the deletion policy's plan — gone now, or marked and kept for its finalizers.</summary>
public sealed partial class ResourceStorage
{
    public async Task<DeleteResult> DeleteAsync(string? ns, string name, V1DeleteOptions? options, bool dryRun, AdmissionContext? admission, CancellationToken cancellationToken)
    {
        var key = Resource.StorageKey(ns, name);
        for (var attempt = 0; ; attempt++)
        {
            var kv = await _store.GetAsync(key, cancellationToken: cancellationToken) ?? throw NotFound(name);
            var current = Decode(kv).Object;
            CheckPreconditions(current, options?.Preconditions, name);
            if (admission is not null)
            {
                await admission.ValidateAsync(AdmissionOperation.Delete, Resource, null, current, dryRun, cancellationToken);
            }

            var plan = _deletion.Plan(current, options, _time);
            try
            {
                if (plan.Immediate)
                {
                    if (!dryRun)
                    {
                        await _store.DeleteAsync(key, kv.ModRevision, cancellationToken);
                        Wrote();
                        _hooks?.AfterDelete(current);
                    }

                    return new DeleteResult(current, Deleted: true);
                }

                if (plan.Updated is null)
                {
                    return new DeleteResult(current, Deleted: false);
                }

                if (!dryRun)
                {
                    var stored = await _store.UpdateAsync(key, _form.Encode(Strategy, plan.Updated), kv.ModRevision, kv.Lease, cancellationToken);
                    Wrote();
                    plan.Updated.Metadata.ResourceVersion = stored.ModRevision.ToString(CultureInfo.InvariantCulture);
                }

                return new DeleteResult(plan.Updated, Deleted: false);
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict && attempt < MaxConflictRetries)
            {
                // Changed meanwhile: decide again on the new version.
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict)
            {
                throw StatusException.StaleObject(Resource.Group, Resource.Plural, name);
            }
            catch (StoreException e) when (e.Error is StoreError.NotFound)
            {
                throw NotFound(name);
            }
        }
    }

    private void CheckPreconditions(IKubernetesObject<V1ObjectMeta> current, V1Preconditions? preconditions, string name)
    {
        if (preconditions?.Uid is { } uid && uid != current.Metadata.Uid)
        {
            throw StatusException.Conflict(Resource.Group, Resource.Plural, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Metadata.Uid}");
        }

        if (preconditions?.ResourceVersion is { } rv && rv != current.Metadata.ResourceVersion)
        {
            throw StatusException.Conflict(Resource.Group, Resource.Plural, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.Metadata.ResourceVersion}");
        }
    }
}
