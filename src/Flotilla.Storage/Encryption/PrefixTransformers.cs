using System.Security.Cryptography;

namespace Flotilla.Storage.Encryption;

/// <summary>
/// An ordered choice of transformers, as upstream's prefixTransformers: the first one writes (its prefix first); a
/// read tries every one whose prefix the value starts with, in order, and the first that succeeds wins. An empty-prefix
/// (identity) failure is passed over; when nothing succeeds the other failures are reported, or
/// <c>noMatch</c> when no prefix matched.
/// </summary>
public sealed class PrefixTransformers : IValueTransformer
{
    private readonly PrefixTransformer[] _transformers;
    private readonly string _noMatch;

    public PrefixTransformers(IEnumerable<PrefixTransformer> transformers, string noMatch)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        _transformers = [.. transformers];
        if (_transformers.Length == 0)
        {
            throw new ArgumentException("at least one transformer is required", nameof(transformers));
        }

        _noMatch = noMatch;
    }

    public byte[] ToStorage(ReadOnlySpan<byte> value, ReadOnlySpan<byte> authenticatedData)
    {
        var (prefix, transformer) = _transformers[0];
        var body = transformer.ToStorage(value, authenticatedData);
        var result = new byte[prefix.Length + body.Length];
        prefix.CopyTo(result, 0);
        body.CopyTo(result, prefix.Length);
        return result;
    }

    public byte[] FromStorage(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> authenticatedData)
    {
        List<string>? errors = null;
        foreach (var (prefix, transformer) in _transformers)
        {
            if (!stored.StartsWith(prefix))
            {
                continue;
            }

            try
            {
                return transformer.FromStorage(stored[prefix.Length..], authenticatedData);
            }
            catch (CryptographicException e)
            {
                // Several providers may share a prefix (one being rotated to, one away from): try them all.
                if (prefix.Length > 0)
                {
                    (errors ??= []).Add(e.Message);
                }
            }
        }

        if (errors is null)
        {
            throw new CryptographicException(_noMatch);
        }

        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        throw new CryptographicException(distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]");
    }
}
