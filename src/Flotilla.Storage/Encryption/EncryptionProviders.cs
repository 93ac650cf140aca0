using System.Text;

namespace Flotilla.Storage.Encryption;

/// <summary>The providers of an EncryptionConfiguration, built as kube-apiserver builds them.</summary>
public static class EncryptionProviders
{
    public const string AesGcmPrefix = "k8s:enc:aesgcm:v1:";

    /// <summary>
    /// <c>aesgcm</c>: values are <c>k8s:enc:aesgcm:v1:&lt;key name&gt;:</c> then nonce, ciphertext and tag. The first key
    /// encrypts; every key decrypts the values carrying its name.
    /// </summary>
    public static PrefixTransformer AesGcm(IReadOnlyList<EncryptionKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("aes provider has no valid keys", nameof(keys));
        }

        var byName = keys.Select(k => new PrefixTransformer(Encoding.UTF8.GetBytes(k.Name + ":"), new AesGcmTransformer(k.Secret)));
        return new PrefixTransformer(
            Encoding.UTF8.GetBytes(AesGcmPrefix),
            new PrefixTransformers(byName, "no matching key was found for the provided AES transformer"));
    }

    /// <summary><c>identity</c>: plaintext, no prefix.</summary>
    public static PrefixTransformer Identity { get; } = new([], IdentityTransformer.Instance);

    /// <summary>A resource's providers in configuration order: the first writes, any may read.</summary>
    public static IValueTransformer Chain(IEnumerable<PrefixTransformer> providers) =>
        new PrefixTransformers(providers, "no matching prefix found");
}
