using System.Text;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Encryption;

namespace Flotilla.ApiServer.Tests.Encryption;

public sealed class EncryptionConfigFileTests : IDisposable
{
    private const string Key32 = "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/IDMyIGI=";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "flotilla-enc-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Parse_UpstreamDocumentedExample_Accepted()
    {
        // The shape of the example in kubernetes.io's "Encrypting Confidential Data at Rest".
        var config = EncryptionConfigFile.Parse($$"""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources:
                  - secrets
                  - configmaps
                providers:
                  - aesgcm:
                      keys:
                        - name: key1
                          secret: {{Key32}}
                        - name: key2
                          secret: {{Convert.ToBase64String(new byte[16])}}
                  - identity: {}
              - resources:
                  - '*.apps'
                providers:
                  - identity: {}
            """);

        Assert.Equal(["secrets", "configmaps"], config.Resources![0].Resources);
        Assert.Equal(["key1", "key2"], config.Resources[0].Providers![0].AesGcm!.Keys!.Select(k => k.Name));
        Assert.NotNull(config.Resources[0].Providers![1].Identity);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "resources: []", "resources: Required value: at least one resources is required" },
        { "resources: [{resources: [], providers: [{identity: {}}]}]", "resources[0].resources: Required value: at least one resources[0].resources is required" },
        { "resources: [{resources: [secrets]}]", "resources[0].providers: Required value: at least one resources[0].providers is required" },
        { "resources: [{resources: [secrets], providers: [{aesgcm: {keys: []}}]}]", "resources[0].providers[0].aesgcm.keys: Required value: at least one keys is required" },
        { "resources: [{resources: [secrets], providers: [{aesgcm: {keys: [{secret: " + Key32 + "}]}}]}]", "resources[0].providers[0].aesgcm.keys[0].name: Required value: name is a mandatory field for a key" },
        { "resources: [{resources: [secrets], providers: [{aesgcm: {keys: [{name: k}]}}]}]", "resources[0].providers[0].aesgcm.keys[0].secret: Required value: secret is a mandatory field for a key" },
        { "resources: [{resources: [secrets], providers: [{aesgcm: {keys: [{name: k, secret: 'not base64!'}]}}]}]", "resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: \"REDACTED\": secrets must be base64 encoded" },
        { "resources: [{resources: [secrets], providers: [{aesgcm: {keys: [{name: k, secret: c2hvcnQ=}]}}]}]", "resources[0].providers[0].aesgcm.keys[0].secret: Invalid value: \"REDACTED\": secret is not of the expected length, got 5, expected one of [16 24 32]" },
        { "resources: [{resources: [secrets], providers: [{}]}]", "resources[0].providers[0]: Invalid value: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity" },
        { "resources: [{resources: [secrets], providers: [~]}]", "resources[0].providers[0]: Invalid value: provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity" },
        { "resources: [~]", "[resources[0].resources: Required value: at least one resources[0].resources is required, resources[0].providers: Required value: at least one resources[0].providers is required]" },
        { "resources: [{resources: [secrets], providers: [{aesgcm: {keys: [~]}}]}]", "[resources[0].providers[0].aesgcm.keys[0].name: Required value: name is a mandatory field for a key, resources[0].providers[0].aesgcm.keys[0].secret: Required value: secret is a mandatory field for a key]" },
        { "resources: [{resources: [secrets], providers: [{identity: {}, aesgcm: {keys: [{name: k, secret: " + Key32 + "}]}}]}]", "resources[0].providers[0]: Invalid value: more than one provider specified in a single element, should split into different list elements" },
        { "resources: [{resources: [secrets], providers: [{kms: {name: x, endpoint: 'unix:///kms.sock'}}]}]", "resources[0].providers[0]: Unsupported value: \"kms\": supported values: \"aesgcm\", \"identity\"" },
        { "resources: [{resources: [secrets], providers: [{aescbc: {keys: []}}]}]", "resources[0].providers[0]: Unsupported value: \"aescbc\": supported values: \"aesgcm\", \"identity\"" },
        { "resources: [{resources: [Secrets], providers: [{identity: {}}]}]", "resources[0].resources[0]: Invalid value: \"Secrets\": resource name should not contain capital letters" },
        { "resources: [{resources: ['*'], providers: [{identity: {}}]}]", "resources[0].resources[0]: Invalid value: \"*\": use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources" },
        { "resources: [{resources: [events.events.k8s.io], providers: [{identity: {}}]}]", "resources[0].resources[0]: Invalid value: \"events.events.k8s.io\": '*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file" },
        { "resources: [{resources: [serviceipallocations], providers: [{identity: {}}]}]", "resources[0].resources[0]: Invalid value: \"serviceipallocations\": resources which do not have REST API/s cannot be encrypted" },
        { "resources: [{resources: [secrets.*], providers: [{identity: {}}]}]", "resources[0].resources[0]: Invalid value: \"secrets.*\": encrypting the same resource across groups is not supported" },
        { "resources: [{resources: [secrets, secrets], providers: [{identity: {}}]}]", "resources[0].resources: Invalid value: []string{\"secrets\", \"secrets\"}: the same resource cannot be specified multiple times" },
        { "resources: [{resources: [secrets, '*.'], providers: [{identity: {}}]}]", "resources[0].resources: Invalid value: []string{\"secrets\", \"*.\"}: using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_Invalid_FailsWithUpstreamMessage(string resources, string message)
    {
        var e = Assert.Throws<EncryptionConfigException>(() => EncryptionConfigFile.Parse(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n" + resources));

        Assert.Equal("error while parsing file: " + message, e.Message);
    }

    [Fact]
    public void Parse_SeveralErrors_AllReported()
    {
        var e = Assert.Throws<EncryptionConfigException>(() => EncryptionConfigFile.Parse(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [{resources: [Secrets], providers: []}]"));

        Assert.Equal(
            "error while parsing file: [resources[0].resources[0]: Invalid value: \"Secrets\": resource name should not contain capital letters, " +
            "resources[0].providers: Required value: at least one resources[0].providers is required]",
            e.Message);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: EncryptionConfiguration\nresources: []")]
    [InlineData("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfig\nresources: []")]
    [InlineData("kind: EncryptionConfiguration")]
    public void Parse_WrongApiVersionOrKind_Refused(string yaml)
    {
        var e = Assert.Throws<EncryptionConfigException>(() => EncryptionConfigFile.Parse(yaml));

        Assert.StartsWith("error while parsing file: expected apiVersion \"apiserver.config.k8s.io/v1\" and kind \"EncryptionConfiguration\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resources: [{resources: [secrets], providers: [{identity: {}}], provider: []}]", "strict decoding error: unknown field \"resources[0].provider\"")]
    [InlineData("resources: [{resources: [secrets], providers: [{aesgcm: {key: []}}]}]", "strict decoding error: unknown field \"resources[0].providers[0].aesgcm.key\"")]
    [InlineData("resources: {{", "error converting YAML to JSON: While parsing a node, did not find expected node content.")]
    [InlineData("resources: [{resources: secrets, providers: []}]", "The JSON value could not be converted to")]
    public void Parse_UnknownFieldOrBadSyntax_Refused(string resources, string message)
    {
        var e = Assert.Throws<EncryptionConfigException>(() => EncryptionConfigFile.Parse(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n" + resources));

        Assert.StartsWith("error while parsing file: " + message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadOrCreate_NoFile_WritesPrivateConfigWithFreshKeyAndIdentity_ThenLoadsTheSameKey()
    {
        var path = Path.Combine(_dir, "tls", "encryption-config.yaml");

        var first = EncryptionConfigFile.LoadOrCreate(path, ResourceCatalog.Default);
        var written = File.ReadAllText(path);
        var second = EncryptionConfigFile.LoadOrCreate(path, ResourceCatalog.Default);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(written, File.ReadAllText(path));
        var config = EncryptionConfigFile.Parse(written);
        Assert.Equal(["secrets"], config.Resources!.Single().Resources);
        var key = Assert.Single(config.Resources![0].Providers![0].AesGcm!.Keys!);
        Assert.Equal("key1", key.Name);
        Assert.Equal(32, Convert.FromBase64String(key.Secret!).Length);
        Assert.NotNull(config.Resources[0].Providers![1].Identity);

        // What the first load encrypts, the second (the next start) decrypts.
        var aad = "/registry/secrets/default/s"u8.ToArray();
        var stored = first.ForKey("/registry/secrets/default/s").ToStorage("v"u8, aad);
        Assert.StartsWith("k8s:enc:aesgcm:v1:key1:", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal("v"u8.ToArray(), second.ForKey("/registry/secrets/default/s").FromStorage(stored, aad));
    }

    [Fact]
    public void LoadOrCreate_TwoDataDirs_GetDifferentKeys()
    {
        EncryptionConfigFile.LoadOrCreate(Path.Combine(_dir, "a.yaml"), ResourceCatalog.Default);
        EncryptionConfigFile.LoadOrCreate(Path.Combine(_dir, "b.yaml"), ResourceCatalog.Default);

        Assert.NotEqual(
            EncryptionConfigFile.Parse(File.ReadAllText(Path.Combine(_dir, "a.yaml"))).Resources![0].Providers![0].AesGcm!.Keys![0].Secret,
            EncryptionConfigFile.Parse(File.ReadAllText(Path.Combine(_dir, "b.yaml"))).Resources![0].Providers![0].AesGcm!.Keys![0].Secret);
    }

    [Fact]
    public void Load_InvalidOrEmptyFile_FailsNamingTheFile()
    {
        Directory.CreateDirectory(_dir);
        var bad = Path.Combine(_dir, "bad.yaml");
        var empty = Path.Combine(_dir, "empty.yaml");
        File.WriteAllText(bad, "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: []\n");
        File.WriteAllText(empty, "");

        var invalid = Assert.Throws<EncryptionConfigException>(() => EncryptionConfigFile.LoadOrCreate(bad, ResourceCatalog.Default));
        var blank = Assert.Throws<EncryptionConfigException>(() => EncryptionConfigFile.LoadOrCreate(empty, ResourceCatalog.Default));
        var missing = Assert.Throws<EncryptionConfigException>(() => EncryptionConfigFile.Load(Path.Combine(_dir, "none.yaml"), ResourceCatalog.Default));

        Assert.Equal($"{bad}: error while parsing file: resources: Required value: at least one resources is required", invalid.Message);
        Assert.Equal($"encryption provider configuration file \"{empty}\" is empty", blank.Message);
        Assert.StartsWith($"error opening encryption provider configuration file \"{Path.Combine(_dir, "none.yaml")}\"", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyConfiguration_ToString_HidesTheSecret()
    {
        var key = new KeyConfiguration { Name = "key1", Secret = Key32 };

        Assert.DoesNotContain(Key32, key.ToString(), StringComparison.Ordinal);
    }
}
