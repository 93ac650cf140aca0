using Flotilla.ApiServer.OpenApi;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.OpenApi;

public sealed class SchemaNamesTests
{
    public static TheoryData<Type, string> Names => new()
    {
        { typeof(V1Pod), "io.k8s.api.core.v1.Pod" },
        { typeof(V1PodSpec), "io.k8s.api.core.v1.PodSpec" },
        { typeof(V1PodTemplateSpec), "io.k8s.api.core.v1.PodTemplateSpec" },
        { typeof(V1TopologySelectorTerm), "io.k8s.api.core.v1.TopologySelectorTerm" },
        { typeof(Corev1Event), "io.k8s.api.core.v1.Event" },
        { typeof(Corev1EndpointPort), "io.k8s.api.core.v1.EndpointPort" },
        { typeof(Discoveryv1EndpointPort), "io.k8s.api.discovery.v1.EndpointPort" },
        { typeof(Rbacv1Subject), "io.k8s.api.rbac.v1.Subject" },
        { typeof(V1ObjectMeta), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
        { typeof(V1LabelSelector), "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector" },
        { typeof(V1Status), "io.k8s.apimachinery.pkg.apis.meta.v1.Status" },
        { typeof(V1Deployment), "io.k8s.api.apps.v1.Deployment" },
        { typeof(V1RollingUpdateDeployment), "io.k8s.api.apps.v1.RollingUpdateDeployment" },
        { typeof(V1JobTemplateSpec), "io.k8s.api.batch.v1.JobTemplateSpec" },
        { typeof(V1Scale), "io.k8s.api.autoscaling.v1.Scale" },
        { typeof(V2HorizontalPodAutoscaler), "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler" },
        { typeof(V2CrossVersionObjectReference), "io.k8s.api.autoscaling.v2.CrossVersionObjectReference" },
        { typeof(V1IngressClass), "io.k8s.api.networking.v1.IngressClass" },
        { typeof(V1LeaseSpec), "io.k8s.api.coordination.v1.LeaseSpec" },
        { typeof(V1PodDisruptionBudget), "io.k8s.api.policy.v1.PodDisruptionBudget" },
        { typeof(V1PriorityClass), "io.k8s.api.scheduling.v1.PriorityClass" },
        { typeof(V1StorageClass), "io.k8s.api.storage.v1.StorageClass" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void For_ModelType_IsUpstreamDefinitionName(Type type, string expected)
    {
        Assert.Equal(expected, SchemaNames.For(type));
    }

    [Fact]
    public void For_TypeNotNamedAfterADefinition_Throws()
    {
        Assert.Throws<ArgumentException>(() => SchemaNames.For(typeof(IntOrString)));
    }
}
