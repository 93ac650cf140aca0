using System.Text;
using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Core;

/// <summary>Upstream's TestValidateConfigMap, TestValidateSecret and their update tests.</summary>
public sealed class ConfigMapSecretValidationTests
{
    private const string KeyFormat =
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

    public static TheoryData<Case<V1ConfigMap>> ConfigMapCases => new()
    {
        new("valid keys", c => c.Data = new Dictionary<string, string> { ["app.properties"] = "a=b", ["KEY_1"] = "x", ["-dash"] = "y" }),
        new("key with slash", c => c.Data = new Dictionary<string, string> { ["a/b"] = "x" }, $"data[a/b]: Invalid value: \"a/b\": {KeyFormat}"),
        new("key '..'", c => c.Data = new Dictionary<string, string> { [".."] = "x" }, "data[..]: Invalid value: \"..\": must not be '..'"),
        new("key starting '..'", c => c.Data = new Dictionary<string, string> { ["..a"] = "x" }, "data[..a]: Invalid value: \"..a\": must not start with '..'"),
        new("long key", c => c.Data = new Dictionary<string, string> { [new string('a', 254)] = "x" }, $"data[{new string('a', 254)}]: Invalid value: \"{new string('a', 254)}\": must be no more than 253 characters"),
        new("key in both maps", c =>
        {
            c.Data = new Dictionary<string, string> { ["k"] = "x" };
            c.BinaryData = new Dictionary<string, byte[]> { ["k"] = [1] };
        }, "data[k]: Invalid value: \"k\": duplicate of key present in binaryData"),
        new("binary key", c => c.BinaryData = new Dictionary<string, byte[]> { ["a b"] = [1] }, $"binaryData[a b]: Invalid value: \"a b\": {KeyFormat}"),
        new("too large", c => c.Data = new Dictionary<string, string> { ["a"] = new string('x', 1024 * 1024), ["b"] = "y" }, "[]: Too long: may not be more than 1048576 bytes"),
    };

    public static TheoryData<Case<V1Secret>> SecretCases => new()
    {
        new("opaque", s => s.Data = new Dictionary<string, byte[]> { ["password"] = [1] }),
        new("key", s => s.Data = new Dictionary<string, byte[]> { ["a/b"] = [1] }, $"data[a/b]: Invalid value: \"a/b\": {KeyFormat}"),
        new("stringData key", s => s.StringData = new Dictionary<string, string> { ["a b"] = "x" }, $"data[a b]: Invalid value: \"a b\": {KeyFormat}"),
        new("too large", s => s.Data = new Dictionary<string, byte[]> { ["a"] = new byte[(1024 * 1024) + 1] }, "data: Too long: may not be more than 1048576 bytes"),
        new("tls without keys", s => s.Type = "kubernetes.io/tls", "data[tls.crt]: Required value", "data[tls.key]: Required value"),
        new("tls from stringData", s => { s.Type = "kubernetes.io/tls"; s.StringData = new Dictionary<string, string> { ["tls.crt"] = "c", ["tls.key"] = "k" }; }),
        new("basic auth without both", s => s.Type = "kubernetes.io/basic-auth", "data[username]: Required value", "data[password]: Required value"),
        new("basic auth with one", s => { s.Type = "kubernetes.io/basic-auth"; s.Data = new Dictionary<string, byte[]> { ["username"] = [] }; }),
        new("ssh auth", s => s.Type = "kubernetes.io/ssh-auth", "data[ssh-privatekey]: Required value"),
        new("dockerconfigjson missing", s => s.Type = "kubernetes.io/dockerconfigjson", "data[.dockerconfigjson]: Required value"),
        new("dockerconfigjson not an object", s => { s.Type = "kubernetes.io/dockerconfigjson"; s.Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes("[]") }; }, "data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": json: cannot unmarshal array into Go value of type map[string]interface {}"),
        new("dockerconfigjson", s => { s.Type = "kubernetes.io/dockerconfigjson"; s.Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes("{\"auths\":{}}") }; }),
        new("service account token", s => s.Type = "kubernetes.io/service-account-token", "metadata.annotations[kubernetes.io/service-account.name]: Required value"),
    };

    [Theory]
    [MemberData(nameof(ConfigMapCases))]
    public void Validate_ConfigMap_UpstreamErrors(Case<V1ConfigMap> row)
    {
        var configMap = new V1ConfigMap { Metadata = ValidObjects.Meta() };
        row.Break(configMap);

        Errors.Equal(ConfigMapValidation.Validate(configMap), row.Expected);
    }

    [Theory]
    [MemberData(nameof(SecretCases))]
    public void Validate_Secret_UpstreamErrors(Case<V1Secret> row)
    {
        var secret = new V1Secret { Metadata = ValidObjects.Meta() };
        row.Break(secret);

        Errors.Equal(SecretValidation.Validate(secret), row.Expected);
    }

    [Fact]
    public void ValidateUpdate_ImmutableConfigMap_DataAndFlagFixed()
    {
        var old = new V1ConfigMap { Metadata = ValidObjects.Meta(), Immutable = true, Data = new Dictionary<string, string> { ["a"] = "1" } };
        var configMap = new V1ConfigMap { Metadata = ValidObjects.Meta(), Immutable = false, Data = new Dictionary<string, string> { ["a"] = "2" } };

        Errors.Equal(
            ConfigMapValidation.ValidateUpdate(configMap, old),
            "immutable: Forbidden: field is immutable when `immutable` is set",
            "data: Forbidden: field is immutable when `immutable` is set");
    }

    [Fact]
    public void ValidateUpdate_MutableConfigMap_DataChanges()
    {
        var old = new V1ConfigMap { Metadata = ValidObjects.Meta(), Data = new Dictionary<string, string> { ["a"] = "1" } };
        var configMap = new V1ConfigMap { Metadata = ValidObjects.Meta(), Immutable = true, Data = new Dictionary<string, string> { ["a"] = "2" } };

        Errors.Equal(ConfigMapValidation.ValidateUpdate(configMap, old));
    }

    [Fact]
    public void ValidateUpdate_SecretType_Immutable()
    {
        var old = new V1Secret { Metadata = ValidObjects.Meta() };
        var secret = new V1Secret { Metadata = ValidObjects.Meta(), Type = "kubernetes.io/basic-auth", Data = new Dictionary<string, byte[]> { ["username"] = [1] } };

        Errors.Equal(SecretValidation.ValidateUpdate(secret, old), "type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable");
    }

    [Fact]
    public void ValidateUpdate_ImmutableSecret_DataFixed()
    {
        var old = new V1Secret { Metadata = ValidObjects.Meta(), Immutable = true, Data = new Dictionary<string, byte[]> { ["a"] = [1] } };
        var secret = new V1Secret { Metadata = ValidObjects.Meta(), Immutable = true, Data = new Dictionary<string, byte[]> { ["a"] = [2] } };

        Errors.Equal(SecretValidation.ValidateUpdate(secret, old), "data: Forbidden: field is immutable when `immutable` is set");
    }
}
