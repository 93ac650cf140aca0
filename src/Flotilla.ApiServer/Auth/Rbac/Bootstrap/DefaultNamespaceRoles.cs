using k8s.Models;
using static Flotilla.ApiServer.Auth.Rbac.Bootstrap.PolicyObjects;

namespace Flotilla.ApiServer.Auth.Rbac.Bootstrap;

/// <summary>
/// Upstream's Roles and RoleBindings in kube-system and kube-public (bootstrappolicy/namespace_policy.go): leader
/// election locks, the delegated-authentication ConfigMap, and the bootstrap-token controllers.
/// </summary>
public static class DefaultNamespaceRoles
{
    private const string System = "kube-system";
    private const string Public = "kube-public";

    public static IEnumerable<V1Role> Roles()
    {
        yield return Role(System, "extension-apiserver-authentication-reader",
            Rule(Read).Groups("").Resources("configmaps").Names("extension-apiserver-authentication"));
        yield return Role(System, DefaultControllerRoles.Prefix + "bootstrap-signer",
            Rule(Read).Groups("").Resources("secrets"));
        yield return Role(System, DefaultControllerRoles.Prefix + "cloud-provider",
            Rule("create", "get", "list", "watch").Groups("").Resources("configmaps"));
        yield return Role(System, DefaultControllerRoles.Prefix + "token-cleaner",
            Rule("get", "list", "watch", "delete").Groups("").Resources("secrets"),
            Events());
        yield return Role(System, "system::leader-locking-kube-controller-manager",
            Rule("watch").Groups("").Resources("configmaps"),
            Rule("get", "update").Groups("").Resources("configmaps").Names("kube-controller-manager"),
            Rule("get", "watch", "list", "create", "update").Groups("coordination.k8s.io").Resources("leases"));
        yield return Role(System, "system::leader-locking-kube-scheduler",
            Rule("watch").Groups("").Resources("configmaps"),
            Rule("get", "update").Groups("").Resources("configmaps").Names("kube-scheduler"));
        yield return Role(Public, DefaultControllerRoles.Prefix + "bootstrap-signer",
            Rule(Read).Groups("").Resources("configmaps"),
            Rule("update").Groups("").Resources("configmaps").Names("cluster-info"),
            Events());
    }

    public static IEnumerable<V1RoleBinding> Bindings()
    {
        yield return RoleBinding(System, "system::extension-apiserver-authentication-reader", "extension-apiserver-authentication-reader",
            User("system:kube-controller-manager"), User("system:kube-scheduler"));
        yield return RoleBinding(System, "system::leader-locking-kube-controller-manager", "system::leader-locking-kube-controller-manager",
            User("system:kube-controller-manager"), ServiceAccount(System, "kube-controller-manager"), ServiceAccount(System, "leader-election-controller"));
        yield return RoleBinding(System, "system::leader-locking-kube-scheduler", "system::leader-locking-kube-scheduler",
            User("system:kube-scheduler"), ServiceAccount(System, "kube-scheduler"));
        foreach (var controller in new[] { "bootstrap-signer", "cloud-provider", "token-cleaner" })
        {
            yield return RoleBinding(System, DefaultControllerRoles.Prefix + controller, DefaultControllerRoles.Prefix + controller, ServiceAccount(System, controller));
        }

        yield return RoleBinding(Public, DefaultControllerRoles.Prefix + "bootstrap-signer", DefaultControllerRoles.Prefix + "bootstrap-signer",
            ServiceAccount(System, "bootstrap-signer"));
    }
}
