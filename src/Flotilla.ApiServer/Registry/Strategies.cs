using Flotilla.Api.Resources;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// The one list of kind strategies (DESIGN.md: extension points are registered in one place). Kinds with rules of
/// their own have a strategy class; the rest use <see cref="ObjectStrategy{T}"/> with upstream's flags.
/// </summary>
public static class Strategies
{
    public static KindRegistration For(ResourceInfo resource, ClusterNetwork network)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(network);
        return resource.ModelType.Name switch
        {
            nameof(V1Namespace) => new(new Core.NamespaceStrategy(resource), Core.NamespaceStrategy.Deletion),
            nameof(V1Pod) => new(new Core.PodStrategy(resource), Core.PodStrategy.Deletion),
            nameof(V1Node) => new(new Core.NodeStrategy(resource)),
            nameof(V1Service) => new(new Core.ServiceStrategy(resource), Hooks: network.Services),
            nameof(V1Job) => new(new Batch.JobStrategy(resource)),
            nameof(V1EndpointSlice) => new(new Discovery.EndpointSliceStrategy(resource)),
            nameof(V1Role) or nameof(V1ClusterRole) or nameof(V1RoleBinding) or nameof(V1ClusterRoleBinding) =>
                new((IObjectStrategy)Activator.CreateInstance(typeof(Rbac.RbacStrategy<>).MakeGenericType(resource.ModelType), resource)!),
            nameof(Corev1Event) or nameof(Eventsv1Event) => new(Generic(resource, allowCreateOnUpdate: true), Ttl: (store, time) => new Core.EventTtl(store, time)),
            nameof(V1HorizontalPodAutoscaler) => new(Generic(resource, tracksGeneration: true)),
            nameof(V1Endpoints) or nameof(V1LimitRange) => new(Generic(resource, allowCreateOnUpdate: true)),
            nameof(V1Deployment) or nameof(V1ReplicaSet) => new(Generic(resource, tracksGeneration: true, statusSetsAnnotations: true)),
            nameof(V1DaemonSet) => new(new Apps.DaemonSetStrategy(resource)),
            nameof(V1CertificateSigningRequest) => new(new Certificates.CertificateSigningRequestStrategy(resource, TimeProvider.System)),
            nameof(V1StatefulSet) or
                nameof(V1ReplicationController) or nameof(V1CronJob) or nameof(V1Ingress) or
                nameof(V1IngressClass) or nameof(V1NetworkPolicy) or nameof(V1PodDisruptionBudget) or
                nameof(V2HorizontalPodAutoscaler) => new(Generic(resource, tracksGeneration: true)),
            _ => new(Generic(resource)),
        };
    }

    /// <summary>The conversion of a kind served in a version other than its storage version.</summary>
    public static Conversion.IVersionConverter Converter(ResourceInfo resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.ModelType.Name switch
        {
            nameof(V1HorizontalPodAutoscaler) => new Conversion.HorizontalPodAutoscalerConversion(),
            nameof(Eventsv1Event) => new Conversion.EventConversion(),
            _ => throw new ArgumentException($"no conversion from {resource.ApiVersion} {resource.Kind} to its storage version", nameof(resource)),
        };
    }

    private static IObjectStrategy Generic(ResourceInfo resource, bool tracksGeneration = false, bool allowCreateOnUpdate = false, bool statusSetsAnnotations = false) =>
        (IObjectStrategy)Activator.CreateInstance(
            typeof(ObjectStrategy<>).MakeGenericType(resource.ModelType), resource, tracksGeneration, allowCreateOnUpdate, statusSetsAnnotations)!;
}
