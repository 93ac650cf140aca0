using System.Security.Cryptography;
using System.Text;
using Flotilla.Storage.Encryption;

namespace Flotilla.Storage.Tests.Encryption;

public sealed class AesGcmTransformerTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Aad = Encoding.UTF8.GetBytes("/registry/secrets/default/s");

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void RoundTrip_EveryAesKeySize(int keyBytes)
    {
        var gcm = new AesGcmTransformer(Key[..keyBytes]);
        var stored = gcm.ToStorage("hello"u8, Aad);

        Assert.Equal("hello"u8.ToArray(), gcm.FromStorage(stored, Aad));
    }

    [Fact]
    public void ToStorage_IsNonceThenCiphertextThenTag_AsStandardAesGcm()
    {
        var plaintext = "top secret value"u8.ToArray();
        var stored = new AesGcmTransformer(Key).ToStorage(plaintext, Aad);

        Assert.Equal(AesGcmTransformer.NonceSize + plaintext.Length + AesGcmTransformer.TagSize, stored.Length);
        // Any AES-GCM implementation reads it with the same split (upstream: nonce | Seal(ciphertext || tag)).
        var decrypted = new byte[plaintext.Length];
        using var aes = new AesGcm(Key, AesGcmTransformer.TagSize);
        aes.Decrypt(stored[..12], stored[12..^16], stored[^16..], decrypted, Aad);
        Assert.Equal(plaintext, decrypted);
    }

    [Fact]
    public void ToStorage_SameValueTwice_DifferentNonceAndCiphertext()
    {
        var gcm = new AesGcmTransformer(Key);

        var a = gcm.ToStorage("same"u8, Aad);
        var b = gcm.ToStorage("same"u8, Aad);

        Assert.NotEqual(a[..12], b[..12]);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void FromStorage_EmptyValue_RoundTrips()
    {
        var gcm = new AesGcmTransformer(Key);

        Assert.Empty(gcm.FromStorage(gcm.ToStorage([], Aad), Aad));
    }

    public static TheoryData<string, int> Tampering => new()
    {
        { "nonce", 0 },
        { "ciphertext", 13 },
        { "tag", -1 },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public void FromStorage_AnyByteFlipped_FailsAuthentication(string where, int index)
    {
        var gcm = new AesGcmTransformer(Key);
        var stored = gcm.ToStorage("the value"u8, Aad);
        stored[index < 0 ? stored.Length + index : index] ^= 0x01;

        var e = Assert.Throws<CryptographicException>(() => gcm.FromStorage(stored, Aad));
        Assert.True(e.Message == "cipher: message authentication failed", $"{where}: {e.Message}");
    }

    [Fact]
    public void FromStorage_OtherKeyOrOtherAuthenticatedData_FailsAuthentication()
    {
        var gcm = new AesGcmTransformer(Key);
        var stored = gcm.ToStorage("the value"u8, Aad);

        var otherKey = Assert.Throws<CryptographicException>(() => new AesGcmTransformer(new byte[32]).FromStorage(stored, Aad));
        var otherAad = Assert.Throws<CryptographicException>(() => gcm.FromStorage(stored, "/registry/secrets/default/t"u8));

        Assert.Equal("cipher: message authentication failed", otherKey.Message);
        Assert.Equal("cipher: message authentication failed", otherAad.Message);
    }

    [Theory]
    [InlineData(0, "the stored data was shorter than the required size")]
    [InlineData(11, "the stored data was shorter than the required size")]
    [InlineData(27, "cipher: message authentication failed")]
    public void FromStorage_Truncated_FailsWithReason(int length, string message)
    {
        var e = Assert.Throws<CryptographicException>(() => new AesGcmTransformer(Key).FromStorage(new byte[length], Aad));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(33)]
    public void Constructor_KeyOfWrongSize_Throws(int keyBytes)
    {
        Assert.Throws<ArgumentException>(() => new AesGcmTransformer(new byte[keyBytes]));
    }
}
