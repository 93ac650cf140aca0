using System.Security.Cryptography;

namespace Flotilla.Storage.Encryption;

/// <summary>
/// The <c>identity</c> provider: values are stored as they are. Reading refuses a value that starts with
/// <c>k8s:enc:</c>, as upstream's does: that is encrypted data, not plaintext.
/// </summary>
public sealed class IdentityTransformer : IValueTransformer
{
    private IdentityTransformer()
    {
    }

    public static IdentityTransformer Instance { get; } = new();

    /// <summary>The prefix upstream reserves for encrypted values.</summary>
    public static ReadOnlySpan<byte> EncryptedPrefix => "k8s:enc:"u8;

    public byte[] ToStorage(ReadOnlySpan<byte> value, ReadOnlySpan<byte> authenticatedData) => value.ToArray();

    public byte[] FromStorage(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> authenticatedData) =>
        stored.StartsWith(EncryptedPrefix)
            ? throw new CryptographicException("identity transformer tried to read encrypted data")
            : stored.ToArray();
}
