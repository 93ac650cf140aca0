using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Flotilla.Storage.Encryption;

/// <summary>
/// AES-GCM with one key, laid out as upstream's aes.gcm transformer: a random 12-byte nonce, the ciphertext, then the
/// 16-byte tag, with the store key as additional authenticated data. Random nonces bound a key to about 2^32 writes
/// (NIST SP 800-38D), so keys are meant to be rotated.
/// </summary>
public sealed class AesGcmTransformer : IValueTransformer
{
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private static readonly int MaxIdle = Environment.ProcessorCount * 4;
    private readonly byte[] _key;

    // An AesGcm is not safe for concurrent use, and making one per value costs more than the encryption (key
    // schedule, native context): idle ones are kept for the next caller.
    private readonly ConcurrentQueue<AesGcm> _idle = new();

    /// <param name="key">16, 24 or 32 bytes (AES-128, -192 or -256).</param>
    public AesGcmTransformer(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"an AES key is 16, 24 or 32 bytes, not {key.Length}", nameof(key));
        }

        _key = [.. key];
    }

    public byte[] ToStorage(ReadOnlySpan<byte> value, ReadOnlySpan<byte> authenticatedData)
    {
        var result = new byte[NonceSize + value.Length + TagSize];
        var nonce = result.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var aes = Rent();
        try
        {
            aes.Encrypt(nonce, value, result.AsSpan(NonceSize, value.Length), result.AsSpan(NonceSize + value.Length), authenticatedData);
        }
        finally
        {
            Return(aes);
        }

        return result;
    }

    public byte[] FromStorage(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> authenticatedData)
    {
        if (stored.Length < NonceSize)
        {
            throw new CryptographicException("the stored data was shorter than the required size");
        }

        if (stored.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("cipher: message authentication failed");
        }

        var plaintext = new byte[stored.Length - NonceSize - TagSize];
        var aes = Rent();
        try
        {
            aes.Decrypt(stored[..NonceSize], stored[NonceSize..^TagSize], stored[^TagSize..], plaintext, authenticatedData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException("cipher: message authentication failed", e);
        }
        finally
        {
            Return(aes);
        }

        return plaintext;
    }

    private AesGcm Rent() => _idle.TryDequeue(out var aes) ? aes : new AesGcm(_key, TagSize);

    private void Return(AesGcm aes)
    {
        if (_idle.Count < MaxIdle)
        {
            _idle.Enqueue(aes);
        }
        else
        {
            aes.Dispose();
        }
    }
}
