using Flotilla.Api.Validation;
using Flotilla.ApiServer.Registry.Validation.Apps;
using Flotilla.ApiServer.Registry.Validation.Autoscaling;
using Flotilla.ApiServer.Registry.Validation.Batch;
using Flotilla.ApiServer.Registry.Validation.Certificates;
using Flotilla.ApiServer.Registry.Validation.Coordination;
using Flotilla.ApiServer.Registry.Validation.Core;
using Flotilla.ApiServer.Registry.Validation.Discovery;
using Flotilla.ApiServer.Registry.Validation.Networking;
using Flotilla.ApiServer.Registry.Validation.Policy;
using Flotilla.ApiServer.Registry.Validation.Rbac;
using Flotilla.ApiServer.Registry.Validation.Scheduling;
using Flotilla.ApiServer.Registry.Validation.Storage;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// The one list of per-kind validation (upstream's pkg/apis/&lt;group&gt;/validation), keyed by k8s.Models type.
/// Metadata is validated by the API server for every kind; these add the spec rules, the update rules, and core's
/// check that domain-less finalizers are standard ones. Fields upstream defaults before validating are read with
/// their defaults when unset, so the answer is the same whether or not defaulting ran first.
/// </summary>
public static class KindValidation
{
    private static readonly Dictionary<Type, KindValidator> Validators = new()
    {
        // core/v1
        [typeof(V1Pod)] = Of<V1Pod>(PodValidation.Validate, PodValidation.ValidateUpdate),
        [typeof(V1PodTemplate)] = Of<V1PodTemplate>(t => PodTemplateValidation.Validate(t.Template, FieldPath.Root("template"))),
        [typeof(V1Service)] = Of<V1Service>(ServiceValidation.Validate, ServiceValidation.ValidateUpdate),
        [typeof(V1Endpoints)] = Of<V1Endpoints>(EndpointsValidation.Validate),
        [typeof(V1ConfigMap)] = Of<V1ConfigMap>(ConfigMapValidation.Validate, ConfigMapValidation.ValidateUpdate),
        [typeof(V1Secret)] = Of<V1Secret>(SecretValidation.Validate, SecretValidation.ValidateUpdate),
        [typeof(V1ServiceAccount)] = Of<V1ServiceAccount>(_ => []),
        [typeof(V1Namespace)] = Of<V1Namespace>(NamespaceValidation.Validate, NamespaceValidation.ValidateUpdate),
        [typeof(V1Node)] = Of<V1Node>(NodeValidation.Validate, NodeValidation.ValidateUpdate),
        [typeof(Corev1Event)] = Of<Corev1Event>(EventValidation.Validate),
        [typeof(V1PersistentVolume)] = Of<V1PersistentVolume>(PersistentVolumeValidation.Validate, PersistentVolumeValidation.ValidateUpdate),
        [typeof(V1PersistentVolumeClaim)] = Of<V1PersistentVolumeClaim>(PersistentVolumeClaimValidation.Validate, PersistentVolumeClaimValidation.ValidateUpdate),
        [typeof(V1ResourceQuota)] = Of<V1ResourceQuota>(ResourceQuotaValidation.Validate, ResourceQuotaValidation.ValidateUpdate),
        [typeof(V1LimitRange)] = Of<V1LimitRange>(LimitRangeValidation.Validate),
        [typeof(V1ReplicationController)] = Of<V1ReplicationController>(ReplicationControllerValidation.Validate),

        // apps/v1
        [typeof(V1Deployment)] = Of<V1Deployment>(DeploymentValidation.Validate, DeploymentValidation.ValidateUpdate),
        [typeof(V1ReplicaSet)] = Of<V1ReplicaSet>(ReplicaSetValidation.Validate, ReplicaSetValidation.ValidateUpdate),
        [typeof(V1StatefulSet)] = Of<V1StatefulSet>(StatefulSetValidation.Validate, StatefulSetValidation.ValidateUpdate),
        [typeof(V1DaemonSet)] = Of<V1DaemonSet>(DaemonSetValidation.Validate, DaemonSetValidation.ValidateUpdate),
        [typeof(V1ControllerRevision)] = Of<V1ControllerRevision>(ControllerRevisionValidation.Validate, ControllerRevisionValidation.ValidateUpdate),

        // batch/v1
        [typeof(V1Job)] = Of<V1Job>(JobValidation.Validate, JobValidation.ValidateUpdate),
        [typeof(V1CronJob)] = Of<V1CronJob>(CronJobValidation.Validate, CronJobValidation.ValidateUpdate),

        // certificates.k8s.io/v1 (the /status and /approval paths: CertificateSigningRequestStrategy)
        [typeof(V1CertificateSigningRequest)] = Of<V1CertificateSigningRequest>(CertificateSigningRequestValidation.Validate, CertificateSigningRequestValidation.ValidateUpdate),

        // networking.k8s.io/v1, policy/v1, autoscaling/v2
        [typeof(V1Ingress)] = Of<V1Ingress>(IngressValidation.Validate, IngressValidation.ValidateUpdate),
        [typeof(V1IngressClass)] = Of<V1IngressClass>(IngressClassValidation.Validate, IngressClassValidation.ValidateUpdate),
        [typeof(V1NetworkPolicy)] = Of<V1NetworkPolicy>(NetworkPolicyValidation.Validate),
        [typeof(V1PodDisruptionBudget)] = Of<V1PodDisruptionBudget>(PodDisruptionBudgetValidation.Validate),
        [typeof(V2HorizontalPodAutoscaler)] = Of<V2HorizontalPodAutoscaler>(HorizontalPodAutoscalerValidation.Validate),

        // rbac.authorization.k8s.io/v1
        [typeof(V1Role)] = Of<V1Role>(RbacValidation.ValidateRole),
        [typeof(V1ClusterRole)] = Of<V1ClusterRole>(RbacValidation.ValidateClusterRole),
        [typeof(V1RoleBinding)] = Of<V1RoleBinding>(RbacValidation.ValidateRoleBinding, RbacValidation.ValidateRoleBindingUpdate),
        [typeof(V1ClusterRoleBinding)] = Of<V1ClusterRoleBinding>(RbacValidation.ValidateClusterRoleBinding, RbacValidation.ValidateClusterRoleBindingUpdate),

        // scheduling, storage, coordination, discovery
        [typeof(V1PriorityClass)] = Of<V1PriorityClass>(PriorityClassValidation.Validate, PriorityClassValidation.ValidateUpdate),
        [typeof(V1StorageClass)] = Of<V1StorageClass>(StorageClassValidation.Validate, StorageClassValidation.ValidateUpdate),
        [typeof(V1Lease)] = Of<V1Lease>(LeaseValidation.Validate),
        [typeof(V1EndpointSlice)] = Of<V1EndpointSlice>(EndpointSliceValidation.Validate, EndpointSliceValidation.ValidateUpdate),
    };

    /// <summary>The validation of <paramref name="modelType"/>; <see cref="KindValidator.None"/> for kinds without rules.</summary>
    public static KindValidator For(Type modelType)
    {
        ArgumentNullException.ThrowIfNull(modelType);
        return Validators.GetValueOrDefault(modelType) ?? KindValidator.None;
    }

    /// <summary>The model types with rules of their own.</summary>
    public static IReadOnlyCollection<Type> Kinds => Validators.Keys;

    private static KindValidator Of<T>(Func<T, List<FieldError>> validate, Func<T, T, List<FieldError>>? validateUpdate = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        validateUpdate ??= (obj, _) => validate(obj);
        return new KindValidator(
            obj => [.. FinalizerValidation.Metadata(((T)obj).Metadata?.Finalizers), .. validate((T)obj)],
            (obj, old) => [.. FinalizerValidation.Metadata(((T)obj).Metadata?.Finalizers), .. validateUpdate((T)obj, (T)old)]);
    }
}
