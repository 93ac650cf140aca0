using k8s.Models;

namespace Flotilla.ApiServer.Patch;

/// <summary>
/// The <c>patchStrategy</c>/<c>patchMergeKey</c> struct tags and <c>+listType</c>/<c>+listMapKey</c> markers of the
/// upstream Go types (k8s.io/api and apimachinery's meta/v1), keyed by the matching <c>k8s.Models</c> type.
/// A field not listed has no tag: its maps merge key by key and its lists are replaced whole.
/// </summary>
internal static class KubernetesPatchTags
{
    public static IReadOnlyDictionary<(Type Owner, string Field), PatchTag> Build()
    {
        var t = new Dictionary<(Type Owner, string Field), PatchTag>();

        // meta/v1 ObjectMeta.
        t[(typeof(V1ObjectMeta), "finalizers")] = PatchTag.MergeSet;
        t[(typeof(V1ObjectMeta), "ownerReferences")] = PatchTag.MergeMap("uid");
        t[(typeof(V1ObjectMeta), "managedFields")] = PatchTag.Atomic;
        t[(typeof(V1LabelSelector), "matchExpressions")] = PatchTag.Atomic;

        // core/v1 PodSpec and containers.
        t[(typeof(V1PodSpec), "volumes")] = PatchTag.MergeMap("name") with { Strategy = PatchStrategy.Merge | PatchStrategy.RetainKeys };
        t[(typeof(V1PodSpec), "initContainers")] = PatchTag.MergeMap("name");
        t[(typeof(V1PodSpec), "containers")] = PatchTag.MergeMap("name");
        t[(typeof(V1PodSpec), "ephemeralContainers")] = PatchTag.MergeMap("name");
        t[(typeof(V1PodSpec), "imagePullSecrets")] = PatchTag.MergeMap("name");
        t[(typeof(V1PodSpec), "hostAliases")] = PatchTag.MergeMap("ip");
        t[(typeof(V1PodSpec), "topologySpreadConstraints")] = PatchTag.MergeMap("topologyKey", "whenUnsatisfiable");
        t[(typeof(V1PodSpec), "resourceClaims")] = PatchTag.MergeMap("name") with { Strategy = PatchStrategy.Merge | PatchStrategy.RetainKeys };
        t[(typeof(V1PodSpec), "schedulingGates")] = PatchTag.MergeMap("name");
        t[(typeof(V1PodSpec), "tolerations")] = PatchTag.Atomic;
        t[(typeof(V1PodSpec), "readinessGates")] = PatchTag.Atomic;
        foreach (var container in new[] { typeof(V1Container), typeof(V1EphemeralContainer) })
        {
            t[(container, "ports")] = PatchTag.MergeMap("containerPort", "protocol");
            t[(container, "env")] = PatchTag.MergeMap("name");
            t[(container, "volumeMounts")] = PatchTag.MergeMap("mountPath");
            t[(container, "volumeDevices")] = PatchTag.MergeMap("devicePath");
            t[(container, "envFrom")] = PatchTag.Atomic;
            t[(container, "args")] = PatchTag.Atomic;
            t[(container, "command")] = PatchTag.Atomic;
            t[(container, "resizePolicy")] = PatchTag.Atomic;
        }

        t[(typeof(V1ResourceRequirements), "claims")] = new(ListType: ListType.Map, ListMapKeys: ["name"]);

        // core/v1 statuses and the other core kinds.
        t[(typeof(V1PodStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1PodStatus), "podIPs")] = PatchTag.MergeMap("ip");
        t[(typeof(V1PodStatus), "hostIPs")] = new(PatchStrategy.Merge, "ip", ListType.Atomic);
        t[(typeof(V1PodStatus), "resourceClaimStatuses")] = PatchTag.MergeMap("name") with { Strategy = PatchStrategy.Merge | PatchStrategy.RetainKeys };
        t[(typeof(V1PodStatus), "containerStatuses")] = PatchTag.Atomic;
        t[(typeof(V1PodStatus), "initContainerStatuses")] = PatchTag.Atomic;
        t[(typeof(V1PodStatus), "ephemeralContainerStatuses")] = PatchTag.Atomic;
        t[(typeof(V1ServiceSpec), "ports")] = PatchTag.MergeMap("port", "protocol");
        t[(typeof(V1ServiceSpec), "clusterIPs")] = PatchTag.Atomic;
        t[(typeof(V1ServiceSpec), "externalIPs")] = PatchTag.Atomic;
        t[(typeof(V1ServiceSpec), "ipFamilies")] = PatchTag.Atomic;
        t[(typeof(V1ServiceStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1NodeSpec), "podCIDRs")] = PatchTag.MergeSet;
        t[(typeof(V1NodeSpec), "taints")] = PatchTag.Atomic;
        t[(typeof(V1NodeStatus), "conditions")] = PatchTag.MergeMap("type");

        // Upstream keeps merge-by-type here although the type is not unique (see its comment on pr.k8s.io/79391).
        t[(typeof(V1NodeStatus), "addresses")] = new(PatchStrategy.Merge, "type");
        t[(typeof(V1PersistentVolumeClaimStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1PersistentVolumeClaimSpec), "accessModes")] = PatchTag.Atomic;
        t[(typeof(V1NamespaceStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1ReplicationControllerStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1ComponentStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1ServiceAccount), "secrets")] = PatchTag.MergeMap("name");
        t[(typeof(V1ServiceAccount), "imagePullSecrets")] = PatchTag.Atomic;
        t[(typeof(V1Endpoints), "subsets")] = PatchTag.Atomic;

        // apps/v1.
        t[(typeof(V1DeploymentSpec), "strategy")] = new(PatchStrategy.RetainKeys);
        t[(typeof(V1DeploymentStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1ReplicaSetStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1StatefulSetStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1DaemonSetStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1StatefulSetSpec), "volumeClaimTemplates")] = PatchTag.Atomic;

        // batch/v1: Job conditions merge by type but are an atomic list (types repeat across the Job's life).
        t[(typeof(V1JobStatus), "conditions")] = new(PatchStrategy.Merge, "type", ListType.Atomic);
        t[(typeof(V1CronJobStatus), "active")] = PatchTag.Atomic;

        // networking/v1 declares list types only.
        t[(typeof(V1IngressSpec), "rules")] = PatchTag.Atomic;
        t[(typeof(V1IngressSpec), "tls")] = PatchTag.Atomic;
        t[(typeof(V1NetworkPolicySpec), "ingress")] = PatchTag.Atomic;
        t[(typeof(V1NetworkPolicySpec), "egress")] = PatchTag.Atomic;
        t[(typeof(V1NetworkPolicySpec), "policyTypes")] = PatchTag.Atomic;
        t[(typeof(V1ServiceCIDRStatus), "conditions")] = PatchTag.MergeMap("type");

        // policy, autoscaling, admission, storage, flowcontrol, certificates, apiextensions, apiregistration.
        t[(typeof(V1PodDisruptionBudgetStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V2HorizontalPodAutoscalerStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V2HorizontalPodAutoscalerSpec), "metrics")] = PatchTag.Atomic;
        t[(typeof(V1MutatingWebhookConfiguration), "webhooks")] = PatchTag.MergeMap("name");
        t[(typeof(V1ValidatingWebhookConfiguration), "webhooks")] = PatchTag.MergeMap("name");
        t[(typeof(V1CSINodeSpec), "drivers")] = PatchTag.MergeMap("name");
        t[(typeof(V1FlowSchemaStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1PriorityLevelConfigurationStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1APIServiceStatus), "conditions")] = PatchTag.MergeMap("type");
        t[(typeof(V1CertificateSigningRequestStatus), "conditions")] = new(ListType: ListType.Map, ListMapKeys: ["type"]);
        t[(typeof(V1CustomResourceDefinitionStatus), "conditions")] = new(ListType: ListType.Map, ListMapKeys: ["type"]);
        t[(typeof(V1ValidatingAdmissionPolicyStatus), "conditions")] = new(ListType: ListType.Map, ListMapKeys: ["type"]);
        return t;
    }
}
