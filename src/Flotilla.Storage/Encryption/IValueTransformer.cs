namespace Flotilla.Storage.Encryption;

/// <summary>
/// A reversible change to stored values, as kube-apiserver's value.Transformer. The authenticated data (the store key)
/// binds a value to where it was written. A value that cannot be read back fails with a
/// <see cref="System.Security.Cryptography.CryptographicException"/> whose message says why.
/// </summary>
public interface IValueTransformer
{
    byte[] ToStorage(ReadOnlySpan<byte> value, ReadOnlySpan<byte> authenticatedData);

    byte[] FromStorage(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> authenticatedData);
}
