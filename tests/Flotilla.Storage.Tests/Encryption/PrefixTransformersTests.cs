using System.Security.Cryptography;
using System.Text;
using Flotilla.Storage.Encryption;

namespace Flotilla.Storage.Tests.Encryption;

public sealed class PrefixTransformersTests
{
    private static readonly byte[] Aad = "/registry/secrets/ns/a"u8.ToArray();
    private static readonly EncryptionKey Key1 = new("key1", Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly EncryptionKey Key2 = new("key2", Enumerable.Repeat((byte)2, 32).ToArray());

    [Fact]
    public void ToStorage_FirstProviderFirstKey_WritesUpstreamPrefix()
    {
        var chain = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key2, Key1]), EncryptionProviders.Identity]);

        var stored = chain.ToStorage("v"u8, Aad);

        Assert.StartsWith("k8s:enc:aesgcm:v1:key2:", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        Assert.Equal("k8s:enc:aesgcm:v1:key2:".Length + 12 + 1 + 16, stored.Length);
    }

    [Fact]
    public void FromStorage_AnyListedKey_Decrypts()
    {
        var old = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1])]).ToStorage("v"u8, Aad);
        var rotated = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key2, Key1])]);

        Assert.Equal("v"u8.ToArray(), rotated.FromStorage(old, Aad));
    }

    [Fact]
    public void FromStorage_KeysSplitOverTwoProvidersWithOnePrefix_TriesBoth()
    {
        // Upstream's rotation example: two aesgcm providers share k8s:enc:aesgcm:v1: and the second holds the old key.
        var old = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1])]).ToStorage("v"u8, Aad);
        var chain = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key2]), EncryptionProviders.AesGcm([Key1])]);

        Assert.Equal("v"u8.ToArray(), chain.FromStorage(old, Aad));
    }

    [Fact]
    public void FromStorage_UnknownKeyName_SaysNoMatchingKey()
    {
        var stored = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1])]).ToStorage("v"u8, Aad);
        var chain = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key2]), EncryptionProviders.Identity]);

        var e = Assert.Throws<CryptographicException>(() => chain.FromStorage(stored, Aad));

        Assert.Equal("no matching key was found for the provided AES transformer", e.Message);
    }

    [Fact]
    public void FromStorage_SameKeyNameOtherSecret_FailsAuthentication()
    {
        var stored = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1])]).ToStorage("v"u8, Aad);
        var chain = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1 with { Secret = Key2.Secret }])]);

        var e = Assert.Throws<CryptographicException>(() => chain.FromStorage(stored, Aad));

        Assert.Equal("cipher: message authentication failed", e.Message);
    }

    [Fact]
    public void FromStorage_Plaintext_ReadOnlyWhenIdentityListed()
    {
        var withIdentity = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1]), EncryptionProviders.Identity]);
        var without = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1])]);

        Assert.Equal("{\"kind\":\"Secret\"}"u8.ToArray(), withIdentity.FromStorage("{\"kind\":\"Secret\"}"u8, Aad));
        Assert.Equal("no matching prefix found", Assert.Throws<CryptographicException>(() => without.FromStorage("{}"u8, Aad)).Message);
    }

    [Fact]
    public void FromStorage_IdentityFirst_StillReadsEncryptedValues()
    {
        // Upstream's way out of encryption: identity writes, aesgcm still reads what was written before.
        var stored = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key1])]).ToStorage("v"u8, Aad);
        var chain = EncryptionProviders.Chain([EncryptionProviders.Identity, EncryptionProviders.AesGcm([Key1])]);

        Assert.Equal("v"u8.ToArray(), chain.FromStorage(stored, Aad));
        Assert.Equal("w"u8.ToArray(), chain.ToStorage("w"u8, Aad));
    }

    [Fact]
    public void Identity_EncryptedValue_IsRefused()
    {
        var e = Assert.Throws<CryptographicException>(() => IdentityTransformer.Instance.FromStorage("k8s:enc:aesgcm:v1:key1:xxxx"u8, Aad));

        Assert.Equal("identity transformer tried to read encrypted data", e.Message);
    }
}
