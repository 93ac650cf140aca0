using Flotilla.Api.Validation;

namespace Flotilla.Api.Tests.Validation;

public sealed class ObjectMetaValidationTests
{
    public static TheoryData<Dictionary<string, string>, string[]> Labels => new()
    {
        { new() { ["app"] = "web", ["example.com/tier"] = "", ["k8s.io/Name_1"] = "V.1" }, [] },
        { new() { ["a b"] = "x" }, ["metadata.labels: Invalid value: \"a b\": " + Messages.NamePart] },
        { new() { ["app"] = "-bad" }, ["metadata.labels: Invalid value: \"-bad\": " + Messages.LabelValue] },
        { new() { ["app"] = new string('v', 64) }, ["metadata.labels: Invalid value: \"" + new string('v', 64) + "\": " + Messages.MaxLength63] },
        {
            new() { ["z/y/x"] = "ok", ["b"] = "no way" },
            [
                "metadata.labels: Invalid value: \"no way\": " + Messages.LabelValue,
                "metadata.labels: Invalid value: \"z/y/x\": " + Messages.QualifiedName,
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Labels))]
    public void ValidateLabels_KeysAndValues_UpstreamErrorsInKeyOrder(Dictionary<string, string> labels, string[] expected) =>
        Assert.Equal(expected, ObjectMetaValidation.ValidateLabels(labels, "metadata.labels").Select(e => e.ToString()));

    [Fact]
    public void ValidateLabels_Null_NoErrors() =>
        Assert.Empty(ObjectMetaValidation.ValidateLabels(null, "metadata.labels"));

    public static TheoryData<Dictionary<string, string>, string[]> Annotations => new()
    {
        { new() { ["Example.com/Some-Key"] = "any value at all, even with spaces" }, [] },
        { new() { ["a/b/c"] = "v" }, ["metadata.annotations: Invalid value: \"a/b/c\": " + Messages.QualifiedName] },
        { new() { ["Bad_Prefix.com/k"] = "v" }, ["metadata.annotations: Invalid value: \"Bad_Prefix.com/k\": prefix part " + Messages.Dns1123Subdomain] },
        { new() { ["k"] = new string('v', (256 * 1024) - 1) }, [] },
        { new() { ["k"] = new string('v', 256 * 1024) }, ["metadata.annotations: Too long: may not be more than 262144 bytes"] },
        { new() { ["k1"] = new string('v', 128 * 1024), ["k2"] = new string('v', 128 * 1024) }, ["metadata.annotations: Too long: may not be more than 262144 bytes"] },
    };

    [Theory]
    [MemberData(nameof(Annotations))]
    public void ValidateAnnotations_KeysAndTotalSize_UpstreamErrors(Dictionary<string, string> annotations, string[] expected) =>
        Assert.Equal(expected, ObjectMetaValidation.ValidateAnnotations(annotations, "metadata.annotations").Select(e => e.ToString()));

    [Fact]
    public void ValidateAnnotations_SizeCountsUtf8Bytes()
    {
        // 131072 two-byte characters: 262144 bytes of value plus the key.
        var annotations = new Dictionary<string, string> { ["k"] = new string('é', 128 * 1024) };

        var error = Assert.Single(ObjectMetaValidation.ValidateAnnotations(annotations, "metadata.annotations"));

        Assert.Equal(FieldErrorType.TooLong, error.Type);
        Assert.Equal("FieldValueTooLong", error.Reason);
    }

    public static TheoryData<string?, string[]> Names => new()
    {
        { "web-0", [] },
        { null, ["metadata.name: Required value: name or generateName is required"] },
        { "", ["metadata.name: Required value: name or generateName is required"] },
        { "Bad_Name", ["metadata.name: Invalid value: \"Bad_Name\": " + Messages.Dns1123Subdomain] },
        { "web-", ["metadata.name: Invalid value: \"web-\": " + Messages.Dns1123Subdomain] },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ValidateName_DnsSubdomain_UpstreamErrors(string? name, string[] expected) =>
        Assert.Equal(expected, ObjectMetaValidation.ValidateName(name, NameValidation.NameIsDnsSubdomain, "metadata.name").Select(e => e.ToString()));

    public static TheoryData<string?, string[]> GenerateNames => new()
    {
        { null, [] },
        { "", [] },
        { "web-", [] },
        { "web", [] },
        { "Web-", ["metadata.generateName: Invalid value: \"Web-\": " + Messages.Dns1123Label] },
        { "web.v1-", ["metadata.generateName: Invalid value: \"web.v1-\": must not contain dots"] },
    };

    [Theory]
    [MemberData(nameof(GenerateNames))]
    public void ValidateGenerateName_Prefix_TrailingDashAllowed(string? generateName, string[] expected) =>
        Assert.Equal(expected, ObjectMetaValidation.ValidateGenerateName(generateName, NameValidation.NameIsDnsLabel, "metadata.generateName").Select(e => e.ToString()));

    public static TheoryData<string?, bool, string[]> Namespaces => new()
    {
        { "default", true, [] },
        { null, true, ["metadata.namespace: Required value"] },
        { "a.b", true, ["metadata.namespace: Invalid value: \"a.b\": must not contain dots"] },
        { "Kube", true, ["metadata.namespace: Invalid value: \"Kube\": " + Messages.Dns1123Label] },
        { null, false, [] },
        { "default", false, ["metadata.namespace: Forbidden: not allowed on this type"] },
    };

    [Theory]
    [MemberData(nameof(Namespaces))]
    public void ValidateNamespace_ByScope_UpstreamErrors(string? ns, bool namespaced, string[] expected) =>
        Assert.Equal(expected, ObjectMetaValidation.ValidateNamespace(ns, namespaced, "metadata.namespace").Select(e => e.ToString()));

    public static TheoryData<string[], string[]> Finalizers => new()
    {
        { ["kubernetes.io/pvc-protection", "foregroundDeletion"], [] },
        { ["a/b/c"], ["metadata.finalizers: Invalid value: \"a/b/c\": " + Messages.QualifiedName] },
        {
            ["orphan", "foregroundDeletion"],
            ["metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set"]
        },
    };

    [Theory]
    [MemberData(nameof(Finalizers))]
    public void ValidateFinalizers_NamesAndConflict_UpstreamErrors(string[] finalizers, string[] expected) =>
        Assert.Equal(expected, ObjectMetaValidation.ValidateFinalizers(finalizers, "metadata.finalizers").Select(e => e.ToString()));
}
