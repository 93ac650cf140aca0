using System.Collections.Frozen;
using Flotilla.ApiServer.Printing.Printers;

namespace Flotilla.ApiServer.Printing;

/// <summary>
/// Every kind's printer by API group and plural, as kube-apiserver v1.32 registers them. Kinds upstream
/// leaves without one (roles, clusterroles, limitranges, ...) get the default NAME / CREATED AT table.
/// </summary>
public static class TablePrinters
{
    private static readonly FrozenDictionary<(string Group, string Plural), ITablePrinter> ByResource =
        new Dictionary<(string Group, string Plural), ITablePrinter>
        {
            [("", "namespaces")] = new NamespacePrinter(),
            [("", "pods")] = new PodPrinter(),
            [("", "nodes")] = new NodePrinter(),
            [("", "services")] = new ServicePrinter(),
            [("", "endpoints")] = new EndpointsPrinter(),
            [("", "configmaps")] = new ConfigMapPrinter(),
            [("", "secrets")] = new SecretPrinter(),
            [("", "serviceaccounts")] = new ServiceAccountPrinter(),
            [("", "events")] = new EventPrinter(),
            [("", "persistentvolumes")] = new PersistentVolumePrinter(),
            [("", "persistentvolumeclaims")] = new PersistentVolumeClaimPrinter(),
            [("", "resourcequotas")] = new ResourceQuotaPrinter(),
            [("", "replicationcontrollers")] = new ReplicationControllerPrinter(),
            [("apps", "deployments")] = new DeploymentPrinter(),
            [("apps", "replicasets")] = new ReplicaSetPrinter(),
            [("apps", "statefulsets")] = new StatefulSetPrinter(),
            [("apps", "daemonsets")] = new DaemonSetPrinter(),
            [("apps", "controllerrevisions")] = new ControllerRevisionPrinter(),
            [("batch", "jobs")] = new JobPrinter(),
            [("batch", "cronjobs")] = new CronJobPrinter(),
            [("certificates.k8s.io", "certificatesigningrequests")] = new CertificateSigningRequestPrinter(),
            [("networking.k8s.io", "ingresses")] = new IngressPrinter(),
            [("networking.k8s.io", "ingressclasses")] = new IngressClassPrinter(),
            [("networking.k8s.io", "networkpolicies")] = new NetworkPolicyPrinter(),
            [("discovery.k8s.io", "endpointslices")] = new EndpointSlicePrinter(),
            [("coordination.k8s.io", "leases")] = new LeasePrinter(),
            [("policy", "poddisruptionbudgets")] = new PodDisruptionBudgetPrinter(),
            [("autoscaling", "horizontalpodautoscalers")] = new HorizontalPodAutoscalerPrinter(),
            [("rbac.authorization.k8s.io", "rolebindings")] = new RoleBindingPrinter(),
            [("rbac.authorization.k8s.io", "clusterrolebindings")] = new ClusterRoleBindingPrinter(),
            [("scheduling.k8s.io", "priorityclasses")] = new PriorityClassPrinter(),
            [("storage.k8s.io", "storageclasses")] = new StorageClassPrinter(),
        }.ToFrozenDictionary();

    /// <summary>The printer for a resource, or <see cref="DefaultTablePrinter"/> when upstream has none.</summary>
    public static ITablePrinter For(string group, string plural) =>
        ByResource.GetValueOrDefault((group, plural)) ?? DefaultTablePrinter.Instance;
}
