namespace Flotilla.Storage.Encryption;

/// <summary>
/// Which transformer serves each key: the one registered for the longest storage prefix the key starts with
/// (<c>/registry/secrets/</c> before <c>/registry/</c>), else <see cref="IdentityTransformer"/> — which still refuses
/// encrypted values, so removing a resource from the configuration never yields ciphertext as if it were plaintext.
/// </summary>
public sealed class ResourceTransformers
{
    private readonly KeyValuePair<string, IValueTransformer>[] _byPrefix;

    public ResourceTransformers(IReadOnlyDictionary<string, IValueTransformer> byPrefix)
    {
        ArgumentNullException.ThrowIfNull(byPrefix);
        _byPrefix = [.. byPrefix.OrderByDescending(p => p.Key.Length).ThenBy(p => p.Key, StringComparer.Ordinal)];
    }

    public IReadOnlyCollection<string> Prefixes => [.. _byPrefix.Select(p => p.Key)];

    public IValueTransformer ForKey(string key)
    {
        foreach (var (prefix, transformer) in _byPrefix)
        {
            if (KeyRange.Matches(key, prefix))
            {
                return transformer;
            }
        }

        return IdentityTransformer.Instance;
    }
}
