using Flotilla.Api;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// Deletion as kube-apiserver does it: finalizers (and the propagation policy's <c>orphan</c> /
/// <c>foregroundDeletion</c> finalizer, left for the garbage collector) keep the object, marked with
/// deletionTimestamp, until they are removed; kinds with a grace period (pods) are marked and deleted later by
/// whoever finishes them (the kubelet), or at once with a zero grace period.
/// </summary>
public class DeletionPolicy : IDeletionPolicy
{
    public const string OrphanFinalizer = "orphan";
    public const string ForegroundFinalizer = "foregroundDeletion";

    public static DeletionPolicy Default { get; } = new();

    public virtual DeletionPlan Plan(IKubernetesObject<V1ObjectMeta> current, V1DeleteOptions? options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(time);
        var meta = current.Metadata;
        var grace = GracePeriodSeconds(current, options);
        var finalizers = new List<string>(meta.Finalizers ?? []);
        if (meta.DeletionTimestamp is not null)
        {
            if (finalizers.Count == 0 && grace == 0)
            {
                return DeletionPlan.Now;
            }

            if (meta.DeletionGracePeriodSeconds is { } was && grace < was)
            {
                // A shorter grace period moves the deadline closer (kubectl delete --grace-period=0 --force).
                meta.DeletionGracePeriodSeconds = grace;
                meta.DeletionTimestamp = Timestamps.Now(time).AddSeconds(grace);
                return new DeletionPlan(false, current);
            }

            return DeletionPlan.Unchanged;
        }

        var policyFinalizer = PropagationFinalizer(options);
        if (policyFinalizer is not null && !finalizers.Contains(policyFinalizer))
        {
            finalizers.Remove(policyFinalizer == OrphanFinalizer ? ForegroundFinalizer : OrphanFinalizer);
            finalizers.Add(policyFinalizer);
        }

        if (finalizers.Count == 0 && grace == 0)
        {
            return DeletionPlan.Now;
        }

        meta.Finalizers = finalizers.Count == 0 ? null : finalizers;
        meta.DeletionTimestamp = Timestamps.Now(time).AddSeconds(grace);
        meta.DeletionGracePeriodSeconds = grace;
        return new DeletionPlan(false, current);
    }

    public virtual bool DeleteOnUpdate(IKubernetesObject<V1ObjectMeta> updated)
    {
        ArgumentNullException.ThrowIfNull(updated);
        var meta = updated.Metadata;
        return meta.DeletionTimestamp is not null && (meta.Finalizers is null || meta.Finalizers.Count == 0) && meta.DeletionGracePeriodSeconds is 0 or null;
    }

    /// <summary>Seconds the object may take to go away; 0 for kinds that are not deleted gracefully.</summary>
    protected virtual long GracePeriodSeconds(IKubernetesObject<V1ObjectMeta> current, V1DeleteOptions? options) => 0;

    private static string? PropagationFinalizer(V1DeleteOptions? options) =>
        options?.PropagationPolicy switch
        {
            "Orphan" => OrphanFinalizer,
            "Foreground" => ForegroundFinalizer,
            "Background" => null,
            _ => options?.OrphanDependents == true ? OrphanFinalizer : null,
        };
}
