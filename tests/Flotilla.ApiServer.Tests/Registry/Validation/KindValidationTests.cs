using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation;

public sealed class KindValidationTests
{
    public static TheoryData<string> CatalogKinds()
    {
        var data = new TheoryData<string>();
        foreach (var resource in ResourceCatalog.Default.Resources.Where(r => r.StoredAs is null && !r.Virtual).DistinctBy(r => r.ModelType))
        {
            data.Add(resource.ModelType.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogKinds))]
    public void For_EveryCatalogKind_HasRules(string modelType) =>
        Assert.Contains(KindValidation.Kinds, t => t.Name == modelType);

    [Theory]
    [MemberData(nameof(CatalogKinds))]
    public void For_EmptyObject_ValidatesWithoutThrowing(string modelType)
    {
        var type = KindValidation.Kinds.Single(t => t.Name == modelType);
        var validator = KindValidation.For(type);

        var created = validator.Validate(Empty(type));
        var updated = validator.ValidateUpdate(Empty(type), Empty(type));

        Assert.All(created.Concat(updated), e => Assert.False(string.IsNullOrEmpty(e.Field), e.ToString()));
    }

    [Fact]
    public void For_KindWithoutRules_None() => Assert.Same(KindValidator.None, KindValidation.For(typeof(V1APIService)));

    [Fact]
    public void Validate_DomainlessFinalizer_RejectedForEveryKind()
    {
        var configMap = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", Finalizers = ["example.com/keep", "keep", "foregroundDeletion"] } };

        Errors.Equal(
            KindValidation.For(typeof(V1ConfigMap)).Validate(configMap),
            "metadata.finalizers[1]: Invalid value: \"keep\": name is neither a standard finalizer name nor is it fully qualified");
    }

    [Fact]
    public void Validate_ThroughRegistry_RunsKindRules()
    {
        var pod = ValidObjects.Pod();
        pod.Spec.Containers[0].Image = null;

        Errors.Equal(KindValidation.For(typeof(V1Pod)).Validate(pod), "spec.containers[0].image: Required value");
    }

    [Fact]
    public void ValidateUpdate_ThroughRegistry_RunsUpdateRules()
    {
        var old = ValidObjects.Deployment();
        var deployment = ValidObjects.Deployment();
        deployment.Spec.Selector.MatchLabels["tier"] = "x";
        deployment.Spec.Template.Metadata.Labels["tier"] = "x";

        Assert.Contains(KindValidation.For(typeof(V1Deployment)).ValidateUpdate(deployment, old), e => e.Field == "spec.selector");
    }

    private static object Empty(Type type)
    {
        var obj = (IKubernetesObject<V1ObjectMeta>)Activator.CreateInstance(type)!;
        obj.Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "default" };
        return obj;
    }
}
