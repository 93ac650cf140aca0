using Flotilla.Api.Errors;
using Flotilla.ApiServer.Auth.Rbac.Bootstrap;
using Flotilla.ApiServer.Registry;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Rbac;

/// <summary>
/// Upstream's bootstrap RBAC policy, ensured at every start (kube-apiserver's rbac/bootstrap-roles post-start hook):
/// the default ClusterRoles, ClusterRoleBindings, and the kube-system/kube-public Roles and RoleBindings are created
/// when missing and reconciled when present (<see cref="PolicyReconciliation"/>).
/// </summary>
public static class BootstrapPolicy
{
    private const int ConflictRetries = 5;

    public static IEnumerable<V1ClusterRole> ClusterRoles() => DefaultClusterRoles.All().Concat(DefaultControllerRoles.Roles());

    public static IEnumerable<V1ClusterRoleBinding> ClusterRoleBindings() => DefaultClusterRoleBindings.All().Concat(DefaultControllerRoles.Bindings());

    public static async Task EnsureAsync(ResourceRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var clusterRoles = Storage(registry, "clusterroles");
        var clusterBindings = Storage(registry, "clusterrolebindings");
        var roles = Storage(registry, "roles");
        var bindings = Storage(registry, "rolebindings");
        foreach (var role in ClusterRoles())
        {
            await EnsureAsync(clusterRoles, role, (V1ClusterRole existing) => PolicyReconciliation.ReconcileClusterRole(existing, role), cancellationToken);
        }

        foreach (var binding in ClusterRoleBindings())
        {
            await EnsureAsync(clusterBindings, binding, (V1ClusterRoleBinding existing) => PolicyReconciliation.ReconcileClusterRoleBinding(existing, binding), cancellationToken);
        }

        foreach (var role in DefaultNamespaceRoles.Roles())
        {
            await EnsureAsync(roles, role, (V1Role existing) => PolicyReconciliation.ReconcileRole(existing, role), cancellationToken);
        }

        foreach (var binding in DefaultNamespaceRoles.Bindings())
        {
            await EnsureAsync(bindings, binding, (V1RoleBinding existing) => PolicyReconciliation.ReconcileRoleBinding(existing, binding), cancellationToken);
        }
    }

    private static ResourceStorage Storage(ResourceRegistry registry, string plural) => registry.Find(RuleResolver.Group, "v1", plural)!;

    /// <summary>Creates <paramref name="expected"/>, or reconciles the stored object with it; retried when someone writes in between.</summary>
    private static async Task EnsureAsync<T>(ResourceStorage storage, T expected, Func<T, PolicyReconciliation.Outcome> reconcile, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var ns = expected.Metadata.NamespaceProperty;
        var name = expected.Metadata.Name;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                T existing;
                try
                {
                    existing = (T)(await storage.GetAsync(ns, name, cancellationToken)).Object;
                }
                catch (StatusException e) when (e.Reason == "NotFound")
                {
                    await storage.CreateAsync(ns, Copy(expected), dryRun: false, admission: null, cancellationToken);
                    return;
                }

                switch (reconcile(existing))
                {
                    case PolicyReconciliation.Outcome.Update:
                        await storage.UpdateAsync(ns, name, storage.Strategy, _ => existing, dryRun: false, admission: null, cancellationToken);
                        break;
                    case PolicyReconciliation.Outcome.Recreate:
                        await storage.DeleteAsync(ns, name, null, dryRun: false, admission: null, cancellationToken);
                        await storage.CreateAsync(ns, Copy(expected), dryRun: false, admission: null, cancellationToken);
                        break;
                }

                return;
            }
            catch (StatusException e) when (e.Reason is "Conflict" or "AlreadyExists" or "NotFound" && attempt < ConflictRetries)
            {
                // Changed meanwhile (another API server reconciling too): look again.
            }
        }
    }

    private static T Copy<T>(T obj)
        where T : class => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}
