using Flotilla.Api;
using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Core;

/// <summary>Namespaces: DNS-1123 label names, phase Active, the <c>kubernetes</c> finalizer; deleting one makes it Terminating.</summary>
public sealed class NamespaceStrategy(ResourceInfo resource) : ObjectStrategy<V1Namespace>(resource)
{
    public const string KubernetesFinalizer = "kubernetes";

    public static IDeletionPolicy Deletion { get; } = new NamespaceDeletion();

    public override IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.NameIsDnsLabel(name, prefix);

    protected override void PrepareForCreate(V1Namespace obj)
    {
        obj.Spec ??= new V1NamespaceSpec();
        obj.Spec.Finalizers = [KubernetesFinalizer];
        obj.Status = new V1NamespaceStatus { Phase = "Active" };
    }

    protected override void PrepareForUpdate(V1Namespace obj, V1Namespace old)
    {
        // spec.finalizers changes only through /finalize.
        obj.Spec = old.Spec;
    }

    /// <summary>
    /// Deleting a namespace marks it Terminating; it goes once its spec finalizers (the namespace controller's
    /// <c>kubernetes</c>) and metadata finalizers are all removed.
    /// </summary>
    private sealed class NamespaceDeletion : DeletionPolicy
    {
        public override DeletionPlan Plan(IKubernetesObject<V1ObjectMeta> current, V1DeleteOptions? options, TimeProvider time)
        {
            var ns = (V1Namespace)current;
            if (ns.Metadata.DeletionTimestamp is null)
            {
                ns.Metadata.DeletionTimestamp = Timestamps.Now(time);
                ns.Metadata.DeletionGracePeriodSeconds = 0;
                ns.Status ??= new V1NamespaceStatus();
                ns.Status.Phase = "Terminating";
                return new DeletionPlan(false, ns);
            }

            return DeleteOnUpdate(ns) ? DeletionPlan.Now : DeletionPlan.Unchanged;
        }

        public override bool DeleteOnUpdate(IKubernetesObject<V1ObjectMeta> updated) =>
            base.DeleteOnUpdate(updated) && ((V1Namespace)updated).Spec?.Finalizers is null or { Count: 0 };
    }
}
