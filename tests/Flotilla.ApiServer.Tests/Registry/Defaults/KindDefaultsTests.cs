using System.Text.Json;
using System.Text.Json.Nodes;
using Flotilla.Api.Defaults;
using Flotilla.Api.Resources;
using Flotilla.Api.Serialization;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class KindDefaultsTests
{
    public static TheoryData<Type> CatalogKinds => [.. ResourceCatalog.Default.Resources.Where(r => r.StoredAs is null && !r.Virtual).Select(r => r.ModelType)];

    // Rich manifests of every defaulted kind, to check that defaulting a defaulted object changes nothing.
    public static TheoryData<Type, string> Manifests => new()
    {
        { typeof(V1Pod), """{"metadata":{"name":"p"},"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}],"resources":{"limits":{"cpu":"0.0001"}},"livenessProbe":{"httpGet":{"port":80}}}],"volumes":[{"name":"v"},{"name":"s","secret":{"secretName":"s"}}]}}""" },
        { typeof(V1Service), """{"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","ports":[{"port":80}]},"status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}}""" },
        { typeof(V1Deployment), """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""" },
        { typeof(V1StatefulSet), """{"spec":{"volumeClaimTemplates":[{"metadata":{"name":"d"},"spec":{}}]}}""" },
        { typeof(V1DaemonSet), """{"spec":{}}""" },
        { typeof(V1ReplicaSet), """{"spec":{}}""" },
        { typeof(V1ReplicationController), """{"spec":{"template":{"metadata":{"labels":{"a":"b"}}}}}""" },
        { typeof(V1Job), """{"spec":{"podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},"template":{"metadata":{"labels":{"a":"b"}}}}}""" },
        { typeof(V1CronJob), """{"spec":{"schedule":"* * * * *"}}""" },
        { typeof(V2HorizontalPodAutoscaler), """{"spec":{"maxReplicas":3,"behavior":{}}}""" },
        { typeof(V1NetworkPolicy), """{"spec":{"egress":[{"ports":[{"port":53}]}]}}""" },
        { typeof(V1PersistentVolume), """{"spec":{"hostPath":{"path":"/d"},"capacity":{"storage":"1Gi"}}}""" },
        { typeof(V1PersistentVolumeClaim), """{"spec":{}}""" },
        { typeof(V1Namespace), """{"metadata":{"name":"n"}}""" },
        { typeof(V1LimitRange), """{"spec":{"limits":[{"type":"Container","max":{"cpu":"1"}}]}}""" },
        { typeof(V1RoleBinding), """{"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"u"}]}""" },
    };

    [Theory]
    [MemberData(nameof(CatalogKinds))]
    public void Known_EveryServedKind_Decided(Type modelType) => Assert.Contains(modelType, KindDefaults.Known);

    [Theory]
    [MemberData(nameof(CatalogKinds))]
    public void Apply_EmptyObjectOfEveryKind_DoesNotThrow(Type modelType)
    {
        var obj = Activator.CreateInstance(modelType)!;

        KindDefaults.Apply(obj);
    }

    [Theory]
    [InlineData(typeof(V1ConfigMap))]
    [InlineData(typeof(V1ServiceAccount))]
    [InlineData(typeof(Corev1Event))]
    [InlineData(typeof(V1ControllerRevision))]
    [InlineData(typeof(V1Ingress))]
    [InlineData(typeof(V1Lease))]
    [InlineData(typeof(V1PodDisruptionBudget))]
    [InlineData(typeof(V1Role))]
    [InlineData(typeof(V1ClusterRole))]
    [InlineData(typeof(V1Status))]
    public void For_KindWithoutUpstreamDefaults_Null(Type modelType) => Assert.Null(KindDefaults.For(modelType));

    [Theory]
    [InlineData(typeof(V1Pod))]
    [InlineData(typeof(V1Deployment))]
    [InlineData(typeof(V1Secret))]
    [InlineData(typeof(V1StorageClass))]
    public void For_DefaultedKind_Defaulter(Type modelType) => Assert.NotNull(KindDefaults.For(modelType));

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Apply_Twice_SameAsOnce(Type modelType, string manifest)
    {
        var obj = JsonSerializer.Deserialize(manifest, modelType, KubernetesJsonOptions.Value)!;
        var given = Encode(obj);

        KindDefaults.Apply(obj);
        var once = Encode(obj);
        KindDefaults.Apply(obj);

        JsonAssert.Equal(once.ToJsonString(), Encode(obj));
        Assert.False(JsonNode.DeepEquals(given, once), "the manifest should have something to default");
    }

    private static JsonNode Encode(object obj) => JsonSerializer.SerializeToNode(obj, obj.GetType(), KubernetesJsonOptions.Value)!;
}
