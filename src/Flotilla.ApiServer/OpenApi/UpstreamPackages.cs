namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// Which upstream Go package declares a type the served kinds reach, by version and name (k8s.io/api's
/// <c>types.go</c> files and apimachinery's meta/v1). Any v1 name not listed is core (<c>io.k8s.api.core</c>).
/// </summary>
internal static class UpstreamPackages
{
    private const string Meta = "io.k8s.apimachinery.pkg.apis.meta";

    private static readonly Dictionary<(string Version, string Name), string> Packages = Build();

    /// <summary>The package prefix, without the version: <c>io.k8s.api.apps</c> for (<c>v1</c>, <c>Deployment</c>).</summary>
    public static string Of(string version, string name) =>
        Packages.TryGetValue((version, name), out var package) ? package : version switch
        {
            "v2" => "io.k8s.api.autoscaling",

            // The workload scheduling types batch/v1 Jobs reference (scheduling.k8s.io/v1alpha3).
            "v1alpha3" => "io.k8s.api.scheduling",
            _ => "io.k8s.api.core",
        };

    private static Dictionary<(string, string), string> Build()
    {
        var table = new Dictionary<(string, string), string>();
        Add(table, "v1", Meta,
            "APIGroup", "APIGroupList", "APIResource", "APIResourceList", "APIVersions", "Condition", "DeleteOptions",
            "GroupVersionForDiscovery", "LabelSelector", "LabelSelectorRequirement", "ListMeta", "ManagedFieldsEntry",
            "ObjectMeta", "OwnerReference", "Patch", "Preconditions", "ServerAddressByClientCIDR", "Status", "StatusCause",
            "StatusDetails", "WatchEvent");
        Add(table, "v1", "io.k8s.api.apps",
            "ControllerRevision", "ControllerRevisionList", "DaemonSet", "DaemonSetCondition", "DaemonSetList", "DaemonSetSpec",
            "DaemonSetStatus", "DaemonSetUpdateStrategy", "Deployment", "DeploymentCondition", "DeploymentList", "DeploymentSpec",
            "DeploymentStatus", "DeploymentStrategy", "ReplicaSet", "ReplicaSetCondition", "ReplicaSetList", "ReplicaSetSpec",
            "ReplicaSetStatus", "RollingUpdateDaemonSet", "RollingUpdateDeployment", "RollingUpdateStatefulSetStrategy",
            "StatefulSet", "StatefulSetCondition", "StatefulSetList", "StatefulSetOrdinals",
            "StatefulSetPersistentVolumeClaimRetentionPolicy", "StatefulSetSpec", "StatefulSetStatus", "StatefulSetUpdateStrategy");
        Add(table, "v1", "io.k8s.api.batch",
            "CronJob", "CronJobList", "CronJobSpec", "CronJobStatus", "Job", "JobCondition", "JobList", "JobSchedulingConfiguration",
            "JobSpec", "JobStatus", "JobTemplateSpec", "PodFailurePolicy", "PodFailurePolicyOnExitCodesRequirement",
            "PodFailurePolicyOnPodConditionsPattern", "PodFailurePolicyRule", "SuccessPolicy", "SuccessPolicyRule",
            "UncountedTerminatedPods");
        Add(table, "v1", "io.k8s.api.networking",
            "HTTPIngressPath", "HTTPIngressRuleValue", "IPBlock", "Ingress", "IngressBackend", "IngressClass", "IngressClassList",
            "IngressClassParametersReference", "IngressClassSpec", "IngressList", "IngressLoadBalancerIngress",
            "IngressLoadBalancerStatus", "IngressPortStatus", "IngressRule", "IngressServiceBackend", "IngressSpec", "IngressStatus",
            "IngressTLS", "NetworkPolicy", "NetworkPolicyEgressRule", "NetworkPolicyIngressRule", "NetworkPolicyList",
            "NetworkPolicyPeer", "NetworkPolicyPort", "NetworkPolicySpec", "ServiceBackendPort");
        Add(table, "v1", "io.k8s.api.certificates",
            "CertificateSigningRequest", "CertificateSigningRequestCondition", "CertificateSigningRequestList", "CertificateSigningRequestSpec",
            "CertificateSigningRequestStatus");
        Add(table, "v1", "io.k8s.api.discovery",
            "Endpoint", "EndpointConditions", "EndpointHints", "EndpointSlice", "EndpointSliceList", "ForNode", "ForZone");
        Add(table, "v1", "io.k8s.api.coordination", "Lease", "LeaseList", "LeaseSpec");
        Add(table, "v1", "io.k8s.api.policy",
            "PodDisruptionBudget", "PodDisruptionBudgetList", "PodDisruptionBudgetSpec", "PodDisruptionBudgetStatus");
        Add(table, "v1", "io.k8s.api.autoscaling",
            "Scale", "ScaleSpec", "ScaleStatus", "HorizontalPodAutoscaler", "HorizontalPodAutoscalerList",
            "HorizontalPodAutoscalerSpec", "HorizontalPodAutoscalerStatus", "CrossVersionObjectReference");
        Add(table, "v1", "io.k8s.api.rbac",
            "AggregationRule", "ClusterRole", "ClusterRoleBinding", "ClusterRoleBindingList", "ClusterRoleList", "PolicyRule",
            "Role", "RoleBinding", "RoleBindingList", "RoleList", "RoleRef");
        Add(table, "v1", "io.k8s.api.authentication", "BoundObjectReference", "TokenRequestSpec", "TokenRequestStatus");
        Add(table, "v1", "io.k8s.api.scheduling", "PriorityClass", "PriorityClassList");
        Add(table, "v1", "io.k8s.api.storage", "StorageClass", "StorageClassList");
        return table;
    }

    private static void Add(Dictionary<(string, string), string> table, string version, string package, params string[] names)
    {
        foreach (var name in names)
        {
            table.Add((version, name), package);
        }
    }
}
