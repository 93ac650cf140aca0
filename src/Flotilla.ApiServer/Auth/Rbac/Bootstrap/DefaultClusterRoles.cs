using k8s.Models;
using static Flotilla.ApiServer.Auth.Rbac.Bootstrap.PolicyObjects;

namespace Flotilla.ApiServer.Auth.Rbac.Bootstrap;

/// <summary>
/// Upstream's default ClusterRoles (bootstrappolicy/policy.go, as its testdata/cluster-roles.yaml lists them for
/// v1.32 with default feature gates): the user-facing admin/edit/view aggregates and the roles of system components.
/// </summary>
public static class DefaultClusterRoles
{
    public static IEnumerable<V1ClusterRole> All()
    {
        // cluster-admin: anything, anywhere.
        yield return ClusterRole("cluster-admin",
            Rule("*").Groups("*").Resources("*"),
            Rule("*").Urls("*"));

        // The user-facing roles: rules aggregated from the roles labelled for them.
        yield return AggregatedClusterRole("admin", AggregateToAdmin);
        yield return AggregatedClusterRole("edit", AggregateToEdit).Labelled(AggregateToAdmin);
        yield return AggregatedClusterRole("view", AggregateToView).Labelled(AggregateToEdit);
        yield return ClusterRole("system:aggregate-to-admin",
            Rule("create").Groups("authorization.k8s.io").Resources("localsubjectaccessreviews"),
            Rule(ReadWrite).Groups(RbacGroup).Resources("roles", "rolebindings")).Labelled(AggregateToAdmin);
        yield return ClusterRole("system:aggregate-to-edit",
            Rule(Read).Groups("").Resources("pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"),
            Rule("impersonate").Groups("").Resources("serviceaccounts"),
            Rule(Write).Groups("").Resources("pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
            Rule("create").Groups("").Resources("pods/eviction"),
            Rule(Write).Groups("").Resources("replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/proxy",
                "persistentvolumeclaims", "configmaps", "secrets", "events"),
            Rule("create").Groups("").Resources("serviceaccounts/token"),
            Rule(Write).Groups("apps").Resources("statefulsets", "statefulsets/scale", "daemonsets", "deployments", "deployments/scale", "deployments/rollback",
                "replicasets", "replicasets/scale"),
            Rule(Write).Groups("autoscaling").Resources("horizontalpodautoscalers"),
            Rule(Write).Groups("batch").Resources("jobs", "cronjobs"),
            Rule(Write).Groups("extensions").Resources("daemonsets", "deployments", "deployments/scale", "deployments/rollback", "ingresses",
                "replicasets", "replicasets/scale", "replicationcontrollers/scale", "networkpolicies"),
            Rule(Write).Groups("policy").Resources("poddisruptionbudgets"),
            Rule(Write).Groups("networking.k8s.io").Resources("networkpolicies", "ingresses"),
            Rule(ReadWrite).Groups("coordination.k8s.io").Resources("leases")).Labelled(AggregateToEdit);
        yield return ClusterRole("system:aggregate-to-view",
            Rule(Read).Groups("").Resources("pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status",
                "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"),
            Rule(Read).Groups("").Resources("limitranges", "resourcequotas", "bindings", "events", "pods/status", "resourcequotas/status",
                "namespaces/status", "replicationcontrollers/status", "pods/log"),
            Rule(Read).Groups("").Resources("namespaces"),
            Rule(Read).Groups("discovery.k8s.io").Resources("endpointslices"),
            Rule(Read).Groups("apps").Resources("controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale", "daemonsets",
                "daemonsets/status", "deployments", "deployments/status", "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"),
            Rule(Read).Groups("autoscaling").Resources("horizontalpodautoscalers", "horizontalpodautoscalers/status"),
            Rule(Read).Groups("batch").Resources("jobs", "cronjobs", "cronjobs/status", "jobs/status"),
            Rule(Read).Groups("extensions").Resources("daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                "ingresses", "ingresses/status", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale", "networkpolicies"),
            Rule(Read).Groups("policy").Resources("poddisruptionbudgets", "poddisruptionbudgets/status"),
            Rule(Read).Groups("networking.k8s.io").Resources("networkpolicies", "ingresses", "ingresses/status")).Labelled(AggregateToView);

        // metrics-server's reader role (its manifests install it): kubectl top for whoever may view.
        yield return ClusterRole("system:aggregated-metrics-reader",
            Rule(Read).Groups("metrics.k8s.io").Resources("pods", "nodes")).Labelled(AggregateToView);

        // What every client needs: discovery, its own identity and permissions, health.
        yield return ClusterRole("system:discovery",
            Rule("get").Urls("/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"));
        yield return ClusterRole("system:basic-user",
            Rule("create").Groups("authorization.k8s.io").Resources("selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            Rule("create").Groups("authentication.k8s.io").Resources("selfsubjectreviews"));
        yield return ClusterRole("system:public-info-viewer",
            Rule("get").Urls("/livez", "/readyz", "/healthz", "/version", "/version/"));
        yield return ClusterRole("system:monitoring",
            Rule("get").Urls("/metrics", "/metrics/slis", "/livez", "/readyz", "/healthz", "/livez/*", "/readyz/*", "/healthz/*"));
        yield return ClusterRole("system:auth-delegator",
            Rule("create").Groups("authentication.k8s.io").Resources("tokenreviews"),
            Rule("create").Groups("authorization.k8s.io").Resources("subjectaccessreviews"));
        yield return ClusterRole("system:service-account-issuer-discovery",
            Rule("get").Urls("/.well-known/openid-configuration", "/openid/v1/jwks"));

        // Nodes and the components that run on them.
        yield return ClusterRole("system:node", NodeRules());
        yield return ClusterRole("system:node-proxier",
            Rule("list", "watch").Groups("").Resources("services", "endpoints"),
            Rule(Read).Groups("").Resources("nodes"),
            Events(),
            Rule("list", "watch").Groups("discovery.k8s.io").Resources("endpointslices"));

        // Not upstream's: what a node's service proxy and pod routes (kube-proxy's and flannel's, whose credentials every
        // node holds anyway) read beyond the system:node role, as nodes run them under their own identity. Listing
        // nodes is allowed, getting another node's object by name stays refused.
        yield return ClusterRole("flotilla:node-proxier",
            Rule("list", "watch").Groups("").Resources("services", "endpoints", "nodes"),
            Rule("list", "watch").Groups("discovery.k8s.io").Resources("endpointslices"));

        // Not upstream's either: the ingress controller's, as ingress-nginx's manifest grants it, and making its own
        // IngressClass and load-balanced Service.
        yield return ClusterRole(ClusterPki.IngressUser,
            Rule("get", "list", "watch").Groups("").Resources("services", "secrets"),
            Rule("create").Groups("").Resources("services"),
            Rule("get", "list", "watch").Groups("discovery.k8s.io").Resources("endpointslices"),
            Rule("get", "list", "watch").Groups("networking.k8s.io").Resources("ingresses"),
            Rule("update").Groups("networking.k8s.io").Resources("ingresses/status"),
            Rule("get", "list", "watch", "create").Groups("networking.k8s.io").Resources("ingressclasses"),
            Events());
        yield return ClusterRole("system:node-problem-detector",
            Rule("get").Groups("").Resources("nodes"),
            Rule("patch").Groups("").Resources("nodes/status"),
            Events());
        yield return ClusterRole("system:kubelet-api-admin",
            Rule(Read).Groups("").Resources("nodes"),
            Rule("proxy").Groups("").Resources("nodes"),
            Rule("*").Groups("").Resources("nodes/proxy", "nodes/metrics", "nodes/spec", "nodes/stats", "nodes/log"));
        yield return ClusterRole("system:node-bootstrapper",
            Rule("create", "get", "list", "watch").Groups("certificates.k8s.io").Resources("certificatesigningrequests"));
        yield return ClusterRole("system:kube-dns",
            Rule("list", "watch").Groups("").Resources("endpoints", "services"));

        // Not upstream's bootstrap policy: the cluster DNS's, as CoreDNS' manifest (which k3s installs) grants it, and
        // nodes: on a server's own address it answers only the nodes (and pods) of the cluster.
        yield return ClusterRole(ClusterPki.ClusterDnsUser,
            Rule("list", "watch").Groups("").Resources("endpoints", "services", "pods", "namespaces", "nodes"),
            Rule("list", "watch").Groups("discovery.k8s.io").Resources("endpointslices"));

        // Control-plane components.
        yield return ClusterRole("system:kube-scheduler", SchedulerRules());
        yield return ClusterRole("system:volume-scheduler",
            Rule("get", "list", "watch", "update", "patch").Groups("").Resources("persistentvolumes"),
            Rule(Read).Groups("storage.k8s.io").Resources("storageclasses"),
            Rule("get", "list", "watch", "update", "patch").Groups("").Resources("persistentvolumeclaims"));
        yield return ClusterRole("system:kube-controller-manager",
            Events(),
            Rule("create").Groups("coordination.k8s.io").Resources("leases"),
            Rule("get", "update").Groups("coordination.k8s.io").Resources("leases").Names("kube-controller-manager"),
            Rule("create").Groups("").Resources("secrets", "serviceaccounts"),
            Rule("delete").Groups("").Resources("secrets"),
            Rule("get").Groups("").Resources("namespaces", "secrets", "serviceaccounts", "configmaps"),
            Rule("update").Groups("").Resources("secrets", "serviceaccounts"),
            Rule("create").Groups("authentication.k8s.io").Resources("tokenreviews"),
            Rule("create").Groups("authorization.k8s.io").Resources("subjectaccessreviews"),
            Rule("list", "watch").Groups("*").Resources("*"),
            Rule("create").Groups("").Resources("serviceaccounts/token"));
        yield return ClusterRole("system:kube-aggregator",
            Rule(Read).Groups("").Resources("services", "endpoints"));
        yield return ClusterRole("system:persistent-volume-provisioner",
            Rule("get", "list", "watch", "create", "delete").Groups("").Resources("persistentvolumes"),
            Rule("get", "list", "watch", "update").Groups("").Resources("persistentvolumeclaims"),
            Rule(Read).Groups("storage.k8s.io").Resources("storageclasses"),
            Rule("watch").Groups("").Resources("events"),
            Events());
        yield return ClusterRole("system:heapster",
            Rule(Read).Groups("").Resources("events", "pods", "nodes", "namespaces"),
            Rule(Read).Groups("extensions").Resources("deployments"));

        // Certificate signing: who may request and approve which signer.
        yield return ClusterRole("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            Rule("create").Groups("certificates.k8s.io").Resources("certificatesigningrequests/nodeclient"));
        yield return ClusterRole("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            Rule("create").Groups("certificates.k8s.io").Resources("certificatesigningrequests/selfnodeclient"));
        foreach (var (role, signer) in new[]
        {
            ("kube-apiserver-client-approver", "kubernetes.io/kube-apiserver-client"),
            ("kube-apiserver-client-kubelet-approver", "kubernetes.io/kube-apiserver-client-kubelet"),
            ("kubelet-serving-approver", "kubernetes.io/kubelet-serving"),
            ("legacy-unknown-approver", "kubernetes.io/legacy-unknown"),
        })
        {
            yield return ClusterRole($"system:certificates.k8s.io:{role}",
                Rule("approve").Groups("certificates.k8s.io").Resources("signers").Names(signer));
        }
    }

    private static RuleBuilder[] NodeRules() =>
    [
        Rule("create").Groups("authentication.k8s.io").Resources("tokenreviews"),
        Rule("create").Groups("authorization.k8s.io").Resources("subjectaccessreviews", "localsubjectaccessreviews"),
        Rule(Read).Groups("").Resources("services"),
        Rule("create", "get", "list", "watch").Groups("").Resources("nodes"),
        Rule("update", "patch").Groups("").Resources("nodes/status"),
        Rule("update", "patch").Groups("").Resources("nodes"),
        Rule("create", "update", "patch").Groups("").Resources("events"),
        Rule(Read).Groups("").Resources("pods"),
        Rule("create", "delete").Groups("").Resources("pods"),
        Rule("update", "patch").Groups("").Resources("pods/status"),
        Rule("create").Groups("").Resources("pods/eviction"),
        Rule("get", "list", "watch").Groups("").Resources("secrets", "configmaps"),
        Rule("get").Groups("").Resources("persistentvolumeclaims", "persistentvolumes"),
        Rule("get").Groups("").Resources("endpoints"),
        Rule("create", "get", "list", "watch").Groups("certificates.k8s.io").Resources("certificatesigningrequests"),
        Rule("get", "create", "update", "patch", "delete").Groups("coordination.k8s.io").Resources("leases"),
        Rule("get").Groups("storage.k8s.io").Resources("volumeattachments"),
        Rule("create").Groups("").Resources("serviceaccounts/token"),
        Rule("get", "update", "patch").Groups("").Resources("persistentvolumeclaims/status"),
        Rule("get", "watch", "list").Groups("storage.k8s.io").Resources("csidrivers"),
        Rule("get", "create", "update", "patch", "delete").Groups("storage.k8s.io").Resources("csinodes"),
        Rule("get", "list", "watch").Groups("node.k8s.io").Resources("runtimeclasses"),
    ];

    private static RuleBuilder[] SchedulerRules() =>
    [
        Events(),
        Rule("create").Groups("coordination.k8s.io").Resources("leases"),
        Rule("get", "update").Groups("coordination.k8s.io").Resources("leases").Names("kube-scheduler"),
        Rule(Read).Groups("").Resources("nodes"),
        Rule("get", "list", "watch", "delete").Groups("").Resources("pods"),
        Rule("create").Groups("").Resources("pods/binding", "bindings"),
        Rule("patch", "update").Groups("").Resources("pods/status"),
        Rule(Read).Groups("").Resources("replicationcontrollers", "services"),
        Rule(Read).Groups("apps", "extensions").Resources("replicasets"),
        Rule(Read).Groups("apps").Resources("statefulsets"),
        Rule(Read).Groups("policy").Resources("poddisruptionbudgets"),
        Rule(Read).Groups("").Resources("persistentvolumeclaims", "persistentvolumes"),
        Rule("create").Groups("authentication.k8s.io").Resources("tokenreviews"),
        Rule("create").Groups("authorization.k8s.io").Resources("subjectaccessreviews"),
        Rule(Read).Groups("storage.k8s.io").Resources("csinodes"),
        Rule(Read).Groups("").Resources("namespaces"),
        Rule(Read).Groups("storage.k8s.io").Resources("csidrivers"),
        Rule(Read).Groups("storage.k8s.io").Resources("csistoragecapacities"),
    ];
}
