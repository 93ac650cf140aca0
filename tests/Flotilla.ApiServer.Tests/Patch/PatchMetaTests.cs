using Flotilla.ApiServer.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Patch;

public sealed class PatchMetaTests
{
    public static TheoryData<Type, string, PatchStrategy, string?, Type?> MergeLists => new()
    {
        { typeof(V1PodSpec), "containers", PatchStrategy.Merge, "name", typeof(V1Container) },
        { typeof(V1PodSpec), "initContainers", PatchStrategy.Merge, "name", typeof(V1Container) },
        { typeof(V1PodSpec), "volumes", PatchStrategy.Merge | PatchStrategy.RetainKeys, "name", typeof(V1Volume) },
        { typeof(V1PodSpec), "tolerations", PatchStrategy.None, null, typeof(V1Toleration) },
        { typeof(V1Container), "ports", PatchStrategy.Merge, "containerPort", typeof(V1ContainerPort) },
        { typeof(V1Container), "env", PatchStrategy.Merge, "name", typeof(V1EnvVar) },
        { typeof(V1Container), "volumeMounts", PatchStrategy.Merge, "mountPath", typeof(V1VolumeMount) },
        { typeof(V1ObjectMeta), "finalizers", PatchStrategy.Merge, null, typeof(string) },
        { typeof(V1ObjectMeta), "ownerReferences", PatchStrategy.Merge, "uid", typeof(V1OwnerReference) },
        { typeof(V1PodStatus), "conditions", PatchStrategy.Merge, "type", typeof(V1PodCondition) },
        { typeof(V1DeploymentStatus), "conditions", PatchStrategy.Merge, "type", typeof(V1DeploymentCondition) },
        { typeof(V1ServiceSpec), "ports", PatchStrategy.Merge, "port", typeof(V1ServicePort) },
    };

    [Theory]
    [MemberData(nameof(MergeLists))]
    public void For_ListField_GivesUpstreamStrategyKeyAndElementType(Type owner, string field, PatchStrategy strategy, string? mergeKey, Type? elementType)
    {
        var meta = PatchMeta.For(owner, field);

        Assert.NotNull(meta);
        Assert.Equal(PatchFieldKind.List, meta.Kind);
        Assert.Equal(strategy, meta.Strategy);
        Assert.Equal(mergeKey, meta.MergeKey);
        Assert.Equal(elementType, meta.ElementType);
    }

    [Fact]
    public void For_ContainerPorts_RecordsListMapKeys()
    {
        var tag = PatchMeta.For(typeof(V1Container), "ports")!.Tag;

        Assert.Equal(ListType.Map, tag.ListType);
        Assert.Equal(["containerPort", "protocol"], tag.ListMapKeys);
        Assert.Equal("merge", tag.StrategyText);
    }

    [Fact]
    public void For_DeploymentStrategy_IsARetainKeysObject()
    {
        var meta = PatchMeta.For(typeof(V1DeploymentSpec), "strategy")!;

        Assert.Equal(PatchFieldKind.Object, meta.Kind);
        Assert.Equal(typeof(V1DeploymentStrategy), meta.ValueType);
        Assert.Equal("retainKeys", meta.Tag.StrategyText);
    }

    [Fact]
    public void For_Labels_IsAMapOfStrings()
    {
        var meta = PatchMeta.For(typeof(V1ObjectMeta), "labels")!;

        Assert.Equal(PatchFieldKind.Map, meta.Kind);
        Assert.Equal(typeof(string), meta.ValueType);
        Assert.Same(PatchTag.None, meta.Tag);
    }

    [Theory]
    [InlineData(typeof(V1Container), "image", PatchFieldKind.Scalar)]
    [InlineData(typeof(V1ContainerPort), "containerPort", PatchFieldKind.Scalar)]
    [InlineData(typeof(V1RollingUpdateDeployment), "maxSurge", PatchFieldKind.Scalar)]
    [InlineData(typeof(V1ResourceRequirements), "limits", PatchFieldKind.Map)]
    [InlineData(typeof(V1Secret), "data", PatchFieldKind.Map)]
    [InlineData(typeof(V1ObjectMeta), "creationTimestamp", PatchFieldKind.Scalar)]
    public void For_Field_ClassifiesWhatItHolds(Type owner, string field, PatchFieldKind kind)
    {
        Assert.Equal(kind, PatchMeta.For(owner, field)!.Kind);
    }

    [Fact]
    public void For_UnknownField_IsNull()
    {
        Assert.Null(PatchMeta.For(typeof(V1PodSpec), "noSuchField"));
    }

    [Fact]
    public void For_DeploymentPath_ReachesContainersByReflection()
    {
        var type = typeof(V1Deployment);
        foreach (var field in new[] { "spec", "template", "spec" })
        {
            type = PatchMeta.For(type, field)!.ValueType!;
        }

        var containers = PatchMeta.For(type, "containers")!;

        Assert.Equal(typeof(V1PodSpec), type);
        Assert.Equal("name", containers.MergeKey);
    }

    [Fact]
    public void Kubernetes_EveryTag_NamesAFieldThatCanCarryIt()
    {
        foreach (var ((owner, field), tag) in PatchMeta.Kubernetes.Tags)
        {
            var meta = PatchMeta.For(owner, field);
            Assert.True(meta is not null, $"{owner.Name}.{field} does not exist");
            var isList = meta.Kind == PatchFieldKind.List;
            Assert.True(isList || tag.ListType is null, $"{owner.Name}.{field} has a list type but is {meta.Kind}");
            Assert.True(isList || !tag.Strategy.HasFlag(PatchStrategy.Merge), $"{owner.Name}.{field} merges but is {meta.Kind}");
            if (tag.MergeKey is not null)
            {
                Assert.True(PatchMeta.For(meta.ElementType!, tag.MergeKey) is not null, $"{owner.Name}.{field}: merge key {tag.MergeKey} is no field of {meta.ElementType!.Name}");
            }

            foreach (var key in tag.ListMapKeys ?? [])
            {
                Assert.True(PatchMeta.For(meta.ElementType!, key) is not null, $"{owner.Name}.{field}: list map key {key} is no field of {meta.ElementType!.Name}");
            }
        }
    }
}
