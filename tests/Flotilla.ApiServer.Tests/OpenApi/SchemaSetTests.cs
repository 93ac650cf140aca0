using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Tests.OpenApi;

public sealed class SchemaSetTests
{
    private const string Core = "api/v1";
    private const string Apps = "apis/apps/v1";
    private const string SchemaRef = "#/components/schemas/";

    [Theory]
    [InlineData(Core, "io.k8s.api.core.v1.Pod", "", "Pod", "v1")]
    [InlineData(Core, "io.k8s.api.core.v1.PodList", "", "PodList", "v1")]
    [InlineData(Core, "io.k8s.api.core.v1.Event", "", "Event", "v1")]
    [InlineData(Core, "io.k8s.api.core.v1.Binding", "", "Binding", "v1")]
    [InlineData(Apps, "io.k8s.api.apps.v1.Deployment", "apps", "Deployment", "v1")]
    [InlineData(Apps, "io.k8s.api.autoscaling.v1.Scale", "autoscaling", "Scale", "v1")]
    [InlineData("apis/autoscaling/v2", "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler", "autoscaling", "HorizontalPodAutoscaler", "v2")]
    [InlineData("apis/rbac.authorization.k8s.io/v1", "io.k8s.api.rbac.v1.ClusterRole", "rbac.authorization.k8s.io", "ClusterRole", "v1")]
    [InlineData("apis/networking.k8s.io/v1", "io.k8s.api.networking.v1.Ingress", "networking.k8s.io", "Ingress", "v1")]
    public void KindSchema_CarriesGroupVersionKind(string key, string schema, string group, string kind, string version)
    {
        var gvk = Assert.Single(GeneratedDocuments.Schema(key, schema)["x-kubernetes-group-version-kind"]!.AsArray())!;

        Assert.Equal(group, (string?)gvk["group"]);
        Assert.Equal(kind, (string?)gvk["kind"]);
        Assert.Equal(version, (string?)gvk["version"]);
    }

    [Theory]
    [InlineData(Core, "io.k8s.api.core.v1.PodSpec", "containers", "List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.")]
    [InlineData(Apps, "io.k8s.api.apps.v1.DeploymentSpec", "replicas", "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.")]
    [InlineData(Core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "generateName", "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided. If this field is used, the name returned to the client will be different than the name passed. This value will also be combined with a unique suffix. The provided value has the same validation rules as the Name field, and may be truncated by the length of the suffix required to make the value unique on the server.\n\nIf this field is specified and the generated name exists, the server will return a 409.\n\nApplied only if Name is not specified. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#idempotency")]
    public void Property_Description_IsUpstreamsText(string key, string schema, string property, string description)
    {
        Assert.Equal(description, (string?)GeneratedDocuments.Property(key, schema, property)["description"]);
    }

    [Fact]
    public void TypeSchema_Description_IsUpstreamsText()
    {
        Assert.Equal("PodSpec is a description of a pod.", (string?)GeneratedDocuments.Schema(Core, "io.k8s.api.core.v1.PodSpec")["description"]);
    }

    [Theory]
    [InlineData(Core, "io.k8s.api.core.v1.PodSpec", "containers", "merge", "name", "map", "name")]
    [InlineData(Core, "io.k8s.api.core.v1.Container", "ports", "merge", "containerPort", "map", "containerPort,protocol")]
    [InlineData(Core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers", "merge", null, "set", null)]
    [InlineData(Core, "io.k8s.api.core.v1.PodSpec", "volumes", "merge,retainKeys", "name", "map", "name")]
    [InlineData(Core, "io.k8s.api.core.v1.PodSpec", "tolerations", null, null, "atomic", null)]
    [InlineData(Apps, "io.k8s.api.apps.v1.DeploymentSpec", "strategy", "retainKeys", null, null, null)]
    public void Property_PatchTags_AreExtensions(string key, string schema, string property, string? strategy, string? mergeKey, string? listType, string? mapKeys)
    {
        var field = GeneratedDocuments.Property(key, schema, property);

        Assert.Equal(strategy, (string?)field["x-kubernetes-patch-strategy"]);
        Assert.Equal(mergeKey, (string?)field["x-kubernetes-patch-merge-key"]);
        Assert.Equal(listType, (string?)field["x-kubernetes-list-type"]);
        Assert.Equal(mapKeys, field["x-kubernetes-list-map-keys"] is JsonArray keys ? string.Join(',', keys.Select(k => (string?)k)) : null);
    }

    [Theory]
    [InlineData("io.k8s.api.core.v1.PodSpec", "nodeSelector", """{"additionalProperties":{"type":"string"},"type":"object"}""")]
    [InlineData("io.k8s.api.core.v1.ResourceRequirements", "limits", """{"additionalProperties":{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity"},"type":"object"}""")]
    [InlineData("io.k8s.api.core.v1.Container", "args", """{"items":{"type":"string"},"type":"array"}""")]
    [InlineData("io.k8s.api.core.v1.Container", "image", """{"type":"string"}""")]
    [InlineData("io.k8s.api.core.v1.Container", "stdin", """{"type":"boolean"}""")]
    [InlineData("io.k8s.api.core.v1.ContainerPort", "containerPort", """{"format":"int32","type":"integer"}""")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "activeDeadlineSeconds", """{"format":"int64","type":"integer"}""")]
    [InlineData("io.k8s.api.core.v1.Secret", "data", """{"additionalProperties":{"format":"byte","type":"string"},"type":"object"}""")]
    [InlineData("io.k8s.api.core.v1.ServicePort", "targetPort", """{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString"}]}""")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp", """{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time"}]}""")]
    [InlineData("io.k8s.api.core.v1.Event", "eventTime", """{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"}]}""")]
    [InlineData("io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", "fieldsV1", """{"allOf":[{"$ref":"#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1"}]}""")]
    [InlineData("io.k8s.api.core.v1.Pod", "spec", """{"allOf":[{"$ref":"#/components/schemas/io.k8s.api.core.v1.PodSpec"}]}""")]
    [InlineData("io.k8s.api.core.v1.PodSpec", "initContainers", """{"items":{"allOf":[{"$ref":"#/components/schemas/io.k8s.api.core.v1.Container"}],"default":{}},"type":"array"}""")]
    public void Property_Type_HasUpstreamsShape(string schema, string property, string expected)
    {
        var field = GeneratedDocuments.Property(Core, schema, property).DeepClone().AsObject();
        foreach (var extra in field.Select(p => p.Key).Where(k => k is "description" || k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
        {
            field.Remove(extra);
        }

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), field), field.ToJsonString());
    }

    [Theory]
    [InlineData(Core, "io.k8s.apimachinery.pkg.util.intstr.IntOrString", "int-or-string")]
    [InlineData(Core, "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "date-time")]
    public void ScalarDefinition_HasUpstreamsFormat(string key, string schema, string format)
    {
        Assert.Equal(format, (string?)GeneratedDocuments.Schema(key, schema)["format"]);
    }

    [Fact]
    public void IntOrString_IsIntegerOrString()
    {
        var schema = GeneratedDocuments.Schema(Core, "io.k8s.apimachinery.pkg.util.intstr.IntOrString");

        Assert.Equal(new[] { "integer", "string" }, schema["oneOf"]!.AsArray().Select(t => (string)t!["type"]!));
        Assert.True((bool)schema["x-kubernetes-int-or-string"]!);
    }

    [Fact]
    public void Quantity_IsStringOrNumber()
    {
        var schema = GeneratedDocuments.Schema(Core, "io.k8s.apimachinery.pkg.api.resource.Quantity");

        Assert.Equal(new[] { "string", "number" }, schema["oneOf"]!.AsArray().Select(t => (string)t!["type"]!));
    }

    [Theory]
    [InlineData(Core, "io.k8s.api.core.v1.ContainerPort", "containerPort")]
    [InlineData(Core, "io.k8s.api.core.v1.ServicePort", "port")]
    [InlineData(Apps, "io.k8s.api.apps.v1.DaemonSetStatus", "numberReady")]
    [InlineData(Core, "io.k8s.api.core.v1.WeightedPodAffinityTerm", "weight")]
    public void ValueField_NotOptional_IsRequired(string key, string schema, string property)
    {
        Assert.Contains(GeneratedDocuments.Schema(key, schema)["required"]!.AsArray(), r => (string?)r == property);
    }

    [Fact]
    public void OptionalValueField_IsNotRequired()
    {
        Assert.Null(GeneratedDocuments.Schema(Apps, "io.k8s.api.apps.v1.DeploymentSpec")["required"]);
    }

    [Fact]
    public void ControllerRevisionData_IsRawExtension()
    {
        var data = GeneratedDocuments.Property(Apps, "io.k8s.api.apps.v1.ControllerRevision", "data");

        Assert.Equal(SchemaRef + "io.k8s.apimachinery.pkg.runtime.RawExtension", (string?)data["allOf"]![0]!["$ref"]);
    }
}
