using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>
/// The one list of upstream's defaulting (SetObjectDefaults_*) per served kind, as of Kubernetes v1.32 with its
/// default feature gates. Every kind is listed, those upstream leaves alone with no defaulter, so a kind added to the
/// catalog without a decision here shows up in the tests. Defaulting is idempotent: upstream also applies it to
/// every object read back from storage.
/// </summary>
public static class KindDefaults
{
    private static readonly Dictionary<Type, Action<object>?> ByType = new()
    {
        // core/v1
        [typeof(V1Namespace)] = Of<V1Namespace>(NamespaceDefaults.Apply),
        [typeof(V1Pod)] = Of<V1Pod>(PodDefaults.Apply),
        [typeof(V1Node)] = Of<V1Node>(NodeDefaults.Apply),
        [typeof(V1Service)] = Of<V1Service>(ServiceDefaults.Apply),
        [typeof(V1Endpoints)] = Of<V1Endpoints>(EndpointsDefaults.Apply),

        // Upstream makes a nil data map empty, which Go then omits on the wire: nothing a client can see.
        [typeof(V1ConfigMap)] = null,
        [typeof(V1Secret)] = Of<V1Secret>(SecretDefaults.Apply),
        [typeof(V1ServiceAccount)] = null,
        [typeof(Corev1Event)] = null,
        [typeof(V1PersistentVolume)] = Of<V1PersistentVolume>(PersistentVolumeDefaults.Apply),
        [typeof(V1PersistentVolumeClaim)] = Of<V1PersistentVolumeClaim>(PersistentVolumeClaimDefaults.Apply),
        [typeof(V1ResourceQuota)] = Of<V1ResourceQuota>(ResourceQuotaDefaults.Apply),
        [typeof(V1LimitRange)] = Of<V1LimitRange>(LimitRangeDefaults.Apply),
        [typeof(V1ReplicationController)] = Of<V1ReplicationController>(ReplicationControllerDefaults.Apply),

        // apps/v1
        [typeof(V1Deployment)] = Of<V1Deployment>(DeploymentDefaults.Apply),
        [typeof(V1ReplicaSet)] = Of<V1ReplicaSet>(ReplicaSetDefaults.Apply),
        [typeof(V1StatefulSet)] = Of<V1StatefulSet>(StatefulSetDefaults.Apply),
        [typeof(V1DaemonSet)] = Of<V1DaemonSet>(DaemonSetDefaults.Apply),
        [typeof(V1ControllerRevision)] = null,

        // batch/v1
        [typeof(V1Job)] = Of<V1Job>(JobDefaults.Apply),
        [typeof(V1CronJob)] = Of<V1CronJob>(CronJobDefaults.Apply),

        // networking.k8s.io/v1
        [typeof(V1Ingress)] = null,
        [typeof(V1IngressClass)] = Of<V1IngressClass>(IngressClassDefaults.Apply),
        [typeof(V1NetworkPolicy)] = Of<V1NetworkPolicy>(NetworkPolicyDefaults.Apply),

        // discovery.k8s.io/v1, coordination.k8s.io/v1, policy/v1, autoscaling/v2
        [typeof(V1EndpointSlice)] = Of<V1EndpointSlice>(EndpointSliceDefaults.Apply),
        [typeof(V1Lease)] = null,
        [typeof(V1PodDisruptionBudget)] = null,
        [typeof(V2HorizontalPodAutoscaler)] = Of<V2HorizontalPodAutoscaler>(HorizontalPodAutoscalerDefaults.Apply),

        // certificates.k8s.io/v1: nothing defaulted in v1.
        [typeof(V1CertificateSigningRequest)] = null,

        // rbac.authorization.k8s.io/v1, scheduling.k8s.io/v1, storage.k8s.io/v1
        [typeof(V1Role)] = null,
        [typeof(V1RoleBinding)] = Of<V1RoleBinding>(RbacDefaults.Apply),
        [typeof(V1ClusterRole)] = null,
        [typeof(V1ClusterRoleBinding)] = Of<V1ClusterRoleBinding>(RbacDefaults.Apply),
        [typeof(V1PriorityClass)] = Of<V1PriorityClass>(PriorityClassDefaults.Apply),
        [typeof(V1StorageClass)] = Of<V1StorageClass>(StorageClassDefaults.Apply),
    };

    /// <summary>Every model type a decision was made for, with or without a defaulter.</summary>
    public static IReadOnlyCollection<Type> Known => ByType.Keys;

    /// <summary>The defaulter of a kind's model type, or null when upstream defaults nothing (or the type is unknown).</summary>
    public static Action<object>? For(Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        return ByType.GetValueOrDefault(modelType);
    }

    /// <summary>Defaults the object in place by its runtime type; a no-op for kinds without defaults.</summary>
    public static void Apply(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        For(obj.GetType())?.Invoke(obj);
    }

    private static Action<object> Of<T>(Action<T> apply) => obj => apply((T)obj);
}
