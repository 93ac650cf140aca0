using k8s.Models;
using static Flotilla.ApiServer.Auth.Rbac.Bootstrap.PolicyObjects;

namespace Flotilla.ApiServer.Auth.Rbac.Bootstrap;

/// <summary>
/// Upstream's per-controller ClusterRoles (bootstrappolicy/controller_policy.go with v1.32's default feature gates),
/// each bound to the kube-system service account of its controller: kube-controller-manager runs every controller
/// under its own identity (<c>--use-service-account-credentials</c>).
/// </summary>
public static class DefaultControllerRoles
{
    public const string Prefix = "system:controller:";

    public static IEnumerable<V1ClusterRole> Roles() => Definitions().Select(d => ClusterRole(Prefix + d.Name, d.Rules));

    /// <summary>Each role bound to <c>kube-system/&lt;controller&gt;</c>, as upstream's addControllerRole does.</summary>
    public static IEnumerable<V1ClusterRoleBinding> Bindings() =>
        Definitions().Select(d => ClusterRoleBinding(Prefix + d.Name, ServiceAccount("kube-system", d.Name)));

    private static IEnumerable<(string Name, RuleBuilder[] Rules)> Definitions()
    {
        yield return ("attachdetach-controller",
        [
            Rule("list", "watch").Groups("").Resources("persistentvolumes", "persistentvolumeclaims"),
            Rule(Read).Groups("").Resources("nodes"),
            Rule("patch", "update").Groups("").Resources("nodes/status"),
            Rule("list", "watch").Groups("").Resources("pods"),
            Events(),
            Rule("get", "create", "delete", "list", "watch").Groups("storage.k8s.io").Resources("volumeattachments"),
            Rule(Read).Groups("storage.k8s.io").Resources("csidrivers"),
            Rule(Read).Groups("storage.k8s.io").Resources("csinodes"),
        ]);
        yield return ("clusterrole-aggregation-controller",
        [
            // full power over clusterroles, to write any aggregated rules
            Rule("escalate", "get", "list", "watch", "update", "patch").Groups(RbacGroup).Resources("clusterroles"),
        ]);
        yield return ("cronjob-controller",
        [
            Rule("get", "list", "watch", "update").Groups("batch").Resources("cronjobs"),
            Rule("get", "list", "watch", "create", "update", "delete", "patch").Groups("batch").Resources("jobs"),
            Rule("update").Groups("batch").Resources("cronjobs/status"),
            Rule("update").Groups("batch").Resources("cronjobs/finalizers"),
            Rule("list", "watch", "delete").Groups("").Resources("pods"),
            Events(),
        ]);
        yield return ("daemon-set-controller",
        [
            Rule(Read).Groups("extensions", "apps").Resources("daemonsets"),
            Rule("update").Groups("extensions", "apps").Resources("daemonsets/status"),
            Rule("update").Groups("extensions", "apps").Resources("daemonsets/finalizers"),
            Rule("list", "watch").Groups("").Resources("nodes"),
            Rule("list", "watch", "create", "delete", "patch").Groups("").Resources("pods"),
            Rule("create").Groups("").Resources("pods/binding"),
            Rule("get", "list", "watch", "create", "delete", "update", "patch").Groups("apps").Resources("controllerrevisions"),
            Events(),
        ]);
        yield return ("deployment-controller",
        [
            Rule("get", "list", "watch", "update").Groups("extensions", "apps").Resources("deployments"),
            Rule("update").Groups("extensions", "apps").Resources("deployments/status"),
            Rule("update").Groups("extensions", "apps").Resources("deployments/finalizers"),
            Rule("get", "list", "watch", "create", "update", "patch", "delete").Groups("apps", "extensions").Resources("replicasets"),
            Rule("get", "list", "watch", "update").Groups("").Resources("pods"),
            Events(),
        ]);
        yield return ("disruption-controller",
        [
            Rule(Read).Groups("extensions", "apps").Resources("deployments"),
            Rule(Read).Groups("apps", "extensions").Resources("replicasets"),
            Rule(Read).Groups("").Resources("replicationcontrollers"),
            Rule(Read).Groups("policy").Resources("poddisruptionbudgets"),
            Rule(Read).Groups("apps").Resources("statefulsets"),
            Rule("update").Groups("policy").Resources("poddisruptionbudgets/status"),
            Rule("patch", "update").Groups("").Resources("pods/status"),
            Rule("get").Groups("*").Resources("*/scale"),
            Events(),
        ]);
        yield return ("endpoint-controller",
        [
            Rule(Read).Groups("").Resources("services", "pods"),
            Rule("get", "list", "watch", "create", "update", "delete").Groups("").Resources("endpoints"),
            Rule("create").Groups("").Resources("endpoints/restricted"),
            Events(),
        ]);
        yield return ("endpointslice-controller",
        [
            Rule(Read).Groups("").Resources("services", "pods", "nodes"),
            Rule("update").Groups("").Resources("services/finalizers"),
            Rule("get", "list", "watch", "create", "update", "delete").Groups("discovery.k8s.io").Resources("endpointslices"),
            Events(),
        ]);
        yield return ("endpointslicemirroring-controller",
        [
            Rule(Read).Groups("").Resources("services", "endpoints"),
            Rule("update").Groups("").Resources("services/finalizers"),
            Rule("update").Groups("").Resources("endpoints/finalizers"),
            Rule("get", "list", "watch", "create", "update", "delete").Groups("discovery.k8s.io").Resources("endpointslices"),
            Events(),
        ]);
        yield return ("expand-controller",
        [
            Rule("get", "list", "watch", "update", "patch").Groups("").Resources("persistentvolumes"),
            Rule("update", "patch").Groups("").Resources("persistentvolumeclaims/status"),
            Rule(Read).Groups("").Resources("persistentvolumeclaims"),
            Events(),
            Rule("get").Groups("").Resources("services"),
        ]);
        yield return ("ephemeral-volume-controller",
        [
            Rule(Read).Groups("").Resources("pods"),
            Rule("update").Groups("").Resources("pods/finalizers"),
            Rule("get", "list", "watch", "create").Groups("").Resources("persistentvolumeclaims"),
            Events(),
        ]);
        yield return ("generic-garbage-collector",
        [
            Rule("get", "list", "watch", "patch", "update", "delete").Groups("*").Resources("*"),
            Events(),
        ]);
        yield return ("horizontal-pod-autoscaler",
        [
            Rule(Read).Groups("autoscaling").Resources("horizontalpodautoscalers"),
            Rule("update").Groups("autoscaling").Resources("horizontalpodautoscalers/status"),
            Rule("get", "update").Groups("*").Resources("*/scale"),
            Rule("list", "watch").Groups("").Resources("pods"),
            Rule("list", "watch").Groups("metrics.k8s.io").Resources("pods"),
            Rule(Read).Groups("custom.metrics.k8s.io").Resources("*"),
            Rule(Read).Groups("external.metrics.k8s.io").Resources("*"),
            Events(),
        ]);
        yield return ("job-controller",
        [
            Rule("get", "list", "watch", "update", "patch").Groups("batch").Resources("jobs"),
            Rule("update").Groups("batch").Resources("jobs/status"),
            Rule("update").Groups("batch").Resources("jobs/finalizers"),
            Rule("list", "watch", "create", "delete", "patch").Groups("").Resources("pods"),
            Events(),
        ]);
        yield return ("namespace-controller",
        [
            Rule("get", "list", "watch", "delete").Groups("").Resources("namespaces"),
            Rule("update").Groups("").Resources("namespaces/finalize", "namespaces/status"),
            Rule("get", "list", "watch", "delete", "deletecollection").Groups("*").Resources("*"),
        ]);
        yield return ("node-controller",
        [
            Rule("get", "list", "watch", "update", "delete", "patch").Groups("").Resources("nodes"),
            Rule("patch", "update").Groups("").Resources("nodes/status"),
            Rule("patch", "update").Groups("").Resources("pods/status"),
            Rule("list", "watch", "get", "delete").Groups("").Resources("pods"),
            Events(),
        ]);
        yield return ("persistent-volume-binder",
        [
            Rule("get", "list", "watch", "update", "create", "delete").Groups("").Resources("persistentvolumes"),
            Rule("update").Groups("").Resources("persistentvolumes/status"),
            Rule("get", "list", "watch", "update").Groups("").Resources("persistentvolumeclaims"),
            Rule("update").Groups("").Resources("persistentvolumeclaims/status"),
            Rule("list", "watch", "get", "create", "delete").Groups("").Resources("pods"),
            Rule(Read).Groups("storage.k8s.io").Resources("storageclasses"),
            Rule("list", "watch").Groups("").Resources("nodes"),
            Events(),
            Rule("watch").Groups("").Resources("events"),
            Rule("get").Groups("").Resources("services"),
        ]);
        yield return ("pod-garbage-collector",
        [
            Rule("list", "watch", "delete").Groups("").Resources("pods"),
            Rule(Read).Groups("").Resources("nodes"),
            Rule("patch").Groups("").Resources("pods/status"),
        ]);
        yield return ("replicaset-controller",
        [
            Rule("get", "list", "watch", "update").Groups("apps", "extensions").Resources("replicasets"),
            Rule("update").Groups("apps", "extensions").Resources("replicasets/status"),
            Rule("update").Groups("apps", "extensions").Resources("replicasets/finalizers"),
            Rule("list", "watch", "patch", "create", "delete").Groups("").Resources("pods"),
            Events(),
        ]);
        yield return ("replication-controller",
        [
            Rule("get", "list", "watch", "update").Groups("").Resources("replicationcontrollers"),
            Rule("update").Groups("").Resources("replicationcontrollers/status"),
            Rule("update").Groups("").Resources("replicationcontrollers/finalizers"),
            Rule("list", "watch", "patch", "create", "delete").Groups("").Resources("pods"),
            Events(),
        ]);
        yield return ("resourcequota-controller",
        [
            Rule("list", "watch").Groups("*").Resources("*"),
            Rule("update").Groups("").Resources("resourcequotas/status"),
            Events(),
        ]);
        yield return ("route-controller",
        [
            Rule("list", "watch").Groups("").Resources("nodes"),
            Rule("patch").Groups("").Resources("nodes/status"),
            Events(),
        ]);
        yield return ("service-account-controller",
        [
            Rule("create").Groups("").Resources("serviceaccounts"),
            Events(),
        ]);
        yield return ("service-controller",
        [
            Rule(Read).Groups("").Resources("services"),
            Rule("patch", "update").Groups("").Resources("services/status"),
            Rule("list", "watch").Groups("").Resources("nodes"),
            Events(),
        ]);
        yield return ("statefulset-controller",
        [
            Rule("list", "watch").Groups("").Resources("pods"),
            Rule(Read).Groups("apps").Resources("statefulsets"),
            Rule("update").Groups("apps").Resources("statefulsets/status"),
            Rule("update").Groups("apps").Resources("statefulsets/finalizers"),
            Rule("get", "create", "delete", "update", "patch").Groups("").Resources("pods"),
            Rule("get", "create", "delete", "update", "patch", "list", "watch").Groups("apps").Resources("controllerrevisions"),
            Rule("get", "create", "list", "watch").Groups("").Resources("persistentvolumeclaims"),
            Rule("update", "delete").Groups("").Resources("persistentvolumeclaims"),
            Rule("update").Groups("").Resources("pods/finalizers"),
            Events(),
        ]);
        yield return ("ttl-controller",
        [
            Rule("update", "patch", "list", "watch").Groups("").Resources("nodes"),
            Events(),
        ]);
        yield return ("certificate-controller",
        [
            Rule("get", "list", "watch", "delete").Groups("certificates.k8s.io").Resources("certificatesigningrequests"),
            Rule("update").Groups("certificates.k8s.io").Resources("certificatesigningrequests/status", "certificatesigningrequests/approval"),
            // Flotilla's approver also approves kubelets' serving certificates (upstream leaves that to an operator).
            Rule("approve").Groups("certificates.k8s.io").Resources("signers").Names("kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving"),
            Rule("sign").Groups("certificates.k8s.io").Resources("signers").Names("kubernetes.io/legacy-unknown", "kubernetes.io/kube-apiserver-client",
                "kubernetes.io/kube-apiserver-client-kubelet", "kubernetes.io/kubelet-serving"),
            Rule("create").Groups("authorization.k8s.io").Resources("subjectaccessreviews"),
            Events(),
        ]);
        yield return ("pvc-protection-controller",
        [
            Rule("get", "list", "watch", "update").Groups("").Resources("persistentvolumeclaims"),
            Rule("list", "watch", "get").Groups("").Resources("pods"),
            Events(),
        ]);
        yield return ("pv-protection-controller",
        [
            Rule("get", "list", "watch", "update").Groups("").Resources("persistentvolumes"),
            Events(),
        ]);
        yield return ("ttl-after-finished-controller",
        [
            Rule("get", "list", "watch", "delete").Groups("batch").Resources("jobs"),
            Events(),
        ]);
        yield return ("root-ca-cert-publisher",
        [
            Rule("create", "update").Groups("").Resources("configmaps"),
            Events(),
        ]);
        yield return ("validatingadmissionpolicy-status-controller",
        [
            Rule(Read).Groups("admissionregistration.k8s.io").Resources("validatingadmissionpolicies"),
            Rule("get", "patch", "update").Groups("admissionregistration.k8s.io").Resources("validatingadmissionpolicies/status"),
            Events(),
        ]);
        yield return ("legacy-service-account-token-cleaner",
        [
            Rule("get").Groups("").Resources("configmaps").Names("kube-apiserver-legacy-service-account-token-tracking"),
            Rule("patch", "delete").Groups("").Resources("secrets"),
        ]);

        // Flotilla's own: the provisioner of the default local-path class, which k3s runs with a ClusterRole of its own.
        yield return ("local-path-provisioner",
        [
            Rule("get", "list", "watch", "create", "delete", "update", "patch").Groups("").Resources("persistentvolumes"),
            Rule("get", "list", "watch", "update").Groups("").Resources("persistentvolumeclaims"),
            Rule("get", "list", "watch", "create", "delete").Groups("").Resources("pods"),
            Rule(Read).Groups("").Resources("nodes"),
            Rule(Read).Groups("storage.k8s.io").Resources("storageclasses"),
            Events(),
        ]);
    }
}
