using System.Text;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Encryption;
using Flotilla.Storage.Encryption;

namespace Flotilla.ApiServer.Tests.Encryption;

/// <summary>Which store keys a configuration encrypts, and with which key, as kube-apiserver resolves resources.</summary>
public sealed class EncryptionTransformersTests
{
    private const string Identity = "{identity: {}}";
    private static readonly string KeyA = Convert.ToBase64String(Enumerable.Repeat((byte)'a', 32).ToArray());
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Repeat((byte)'b', 32).ToArray());

    public static TheoryData<string, string, string?> Resolution => new()
    {
        // resources → (key, the key name it is written with, or null for plaintext)
        { "[secrets]", "/registry/secrets/ns/s", "a" },
        { "[secrets]", "/registry/configmaps/ns/c", null },
        { "[secrets]", "/registry/secretsx/ns/s", null },
        { "[configmaps, secrets]", "/registry/configmaps/ns/c", "a" },
        { "[deployments.apps]", "/registry/apps/deployments/ns/d", "a" },
        { "[deployments.apps]", "/registry/apps/replicasets/ns/r", null },
        { "['*.apps']", "/registry/apps/statefulsets/ns/s", "a" },
        { "['*.apps']", "/registry/batch/jobs/ns/j", null },
        { "['*.']", "/registry/configmaps/ns/c", "a" },
        { "['*.']", "/registry/namespaces/ns", "a" },
        { "['*.']", "/registry/apps/deployments/ns/d", null },
        { "['*.*']", "/registry/apps/deployments/ns/d", "a" },
        { "['*.*']", "/registry/widgets.example.com/widgets/ns/w", "a" },
        { "[widgets.example.com]", "/registry/example.com/widgets/ns/w", "a" },
    };

    [Theory]
    [MemberData(nameof(Resolution))]
    public void Build_ResourceNames_CoverTheirStoragePrefixes(string resources, string key, string? keyName)
    {
        var transformers = Build($$"""
            - resources: {{resources}}
              providers: [{{Aes("a", KeyA)}}, {{Identity}}]
            """);

        Assert.Equal(keyName, WrittenWith(transformers, key));
    }

    [Fact]
    public void Build_ExactResourceBeforeWildcard_ExactWins()
    {
        var transformers = Build($$"""
            - resources: [secrets]
              providers: [{{Aes("a", KeyA)}}]
            - resources: ['*.']
              providers: [{{Aes("b", KeyB)}}]
            - resources: ['*.*']
              providers: [{{Identity}}]
            """);

        Assert.Equal("a", WrittenWith(transformers, "/registry/secrets/ns/s"));
        Assert.Equal("b", WrittenWith(transformers, "/registry/configmaps/ns/c"));
        Assert.Null(WrittenWith(transformers, "/registry/apps/deployments/ns/d"));
    }

    [Fact]
    public void Build_ResourceInSeveralEntries_GetsEveryEntrysProvidersInOrder()
    {
        var transformers = Build($$"""
            - resources: [secrets]
              providers: [{{Aes("b", KeyB)}}]
            - resources: [secrets]
              providers: [{{Aes("a", KeyA)}}]
            """);
        var aad = "/registry/secrets/ns/s"u8.ToArray();
        var oldValue = EncryptionProviders.Chain([EncryptionProviders.AesGcm([new EncryptionKey("a", Convert.FromBase64String(KeyA))])]).ToStorage("v"u8, aad);

        Assert.Equal("b", WrittenWith(transformers, "/registry/secrets/ns/s"));
        Assert.Equal("v"u8.ToArray(), transformers.ForKey("/registry/secrets/ns/s").FromStorage(oldValue, aad));
    }

    [Theory]
    [InlineData("'*.'", "secrets", "resource \"secrets\" is masked by earlier rule \"*.\"")]
    [InlineData("'*.*'", "secrets", "resource \"secrets\" is masked by earlier rule \"*.*\"")]
    [InlineData("'*.apps'", "deployments.apps", "resource \"deployments.apps\" is masked by earlier rule \"*.apps\"")]
    public void Build_ResourceAfterWildcardCoveringIt_IsMasked(string wildcard, string resource, string message)
    {
        var e = Assert.Throws<EncryptionConfigException>(() => Build($$"""
            - resources: [{{wildcard}}]
              providers: [{{Identity}}]
            - resources: [{{resource}}]
              providers: [{{Aes("a", KeyA)}}]
            """));

        Assert.Equal("error while building transformers: " + message, e.Message);
    }

    private static ResourceTransformers Build(string resources) => EncryptionTransformers.Build(
        EncryptionConfigFile.Parse("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n" + resources),
        ResourceCatalog.Default);

    private static string Aes(string name, string secret) => $"{{aesgcm: {{keys: [{{name: {name}, secret: '{secret}'}}]}}}}";

    /// <summary>The key name a value under <paramref name="key"/> is encrypted with; null when it is stored as plaintext.</summary>
    private static string? WrittenWith(ResourceTransformers transformers, string key)
    {
        var stored = Encoding.UTF8.GetString(transformers.ForKey(key).ToStorage("{}"u8, Encoding.UTF8.GetBytes(key)));
        if (stored == "{}")
        {
            return null;
        }

        Assert.StartsWith(EncryptionProviders.AesGcmPrefix, stored, StringComparison.Ordinal);
        return stored[EncryptionProviders.AesGcmPrefix.Length..stored.IndexOf(':', EncryptionProviders.AesGcmPrefix.Length)];
    }
}
