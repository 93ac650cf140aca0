using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Flotilla.Storage.Encryption;

/// <summary>
/// Encryption at rest, as kube-apiserver's storage transformers: a value written under a configured prefix is
/// transformed (encrypted) before it reaches the inner store, and every value coming back — gets, lists, watch events
/// and their previous values, write and delete results, a conflict's current value — is transformed back. The key is
/// the authenticated data, so a value copied to another key does not decrypt. A value that cannot be read fails with
/// <see cref="StoreError.Undecryptable"/>. Disposing this store disposes the inner one.
/// </summary>
public sealed class EncryptedStore : IStore
{
    private readonly IStore _inner;
    private readonly ResourceTransformers _transformers;

    public EncryptedStore(IStore inner, ResourceTransformers transformers)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(transformers);
        _inner = inner;
        _transformers = transformers;
    }

    public Task<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default) =>
        _inner.GetCurrentRevisionAsync(cancellationToken);

    public async Task<KeyValue?> GetAsync(string key, long revision = 0, CancellationToken cancellationToken = default)
    {
        var kv = await _inner.GetAsync(key, revision, cancellationToken);
        return kv is null ? null : Read(kv);
    }

    public async Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        var page = await _inner.ListAsync(prefix, options, cancellationToken);
        return page with { Items = [.. page.Items.Select(Read)] };
    }

    public async Task<KeyValue> CreateAsync(string key, byte[] value, long lease = 0, CancellationToken cancellationToken = default)
    {
        var stored = Write(key, value);
        var kv = await _inner.CreateAsync(key, stored, lease, cancellationToken);
        return kv with { Value = value };
    }

    public async Task<KeyValue> UpdateAsync(string key, byte[] value, long expectedModRevision, long lease = 0, CancellationToken cancellationToken = default)
    {
        var stored = Write(key, value);
        try
        {
            var kv = await _inner.UpdateAsync(key, stored, expectedModRevision, lease, cancellationToken);
            return kv with { Value = value };
        }
        catch (StoreException e) when (e.Current is not null)
        {
            throw WithCurrentRead(e);
        }
    }

    public async Task<KeyValue> DeleteAsync(string key, long expectedModRevision = 0, CancellationToken cancellationToken = default)
    {
        try
        {
            return Read(await _inner.DeleteAsync(key, expectedModRevision, cancellationToken));
        }
        catch (StoreException e) when (e.Current is not null)
        {
            throw WithCurrentRead(e);
        }
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(string prefix, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in _inner.WatchAsync(prefix, fromRevision, cancellationToken).WithCancellation(cancellationToken))
        {
            // A deletion's own value is empty by contract; only its previous value was stored transformed.
            var kv = e.Type == WatchEventType.Delete ? e.Kv : Read(e.Kv);
            var prev = e.PrevKv is null ? null : Read(e.PrevKv);
            yield return ReferenceEquals(kv, e.Kv) && ReferenceEquals(prev, e.PrevKv) ? e : e with { Kv = kv, PrevKv = prev };
        }
    }

    public Task CompactAsync(long revision, CancellationToken cancellationToken = default) =>
        _inner.CompactAsync(revision, cancellationToken);

    public Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default) =>
        _inner.GrantLeaseAsync(ttl, cancellationToken);

    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default) =>
        _inner.RevokeLeaseAsync(lease, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private byte[] Write(string key, byte[] value)
    {
        // The limit applies to what the caller wrote; the inner store checks the transformed value again.
        StoreLimits.CheckValue(key, value);
        var transformer = _transformers.ForKey(key);
        return transformer is IdentityTransformer ? value : transformer.ToStorage(value, Encoding.UTF8.GetBytes(key));
    }

    private KeyValue Read(KeyValue kv)
    {
        var transformer = _transformers.ForKey(kv.Key);
        if (transformer is IdentityTransformer && !kv.Value.AsSpan().StartsWith(IdentityTransformer.EncryptedPrefix))
        {
            return kv;
        }

        try
        {
            return kv with { Value = transformer.FromStorage(kv.Value, Encoding.UTF8.GetBytes(kv.Key)) };
        }
        catch (CryptographicException e)
        {
            throw StoreException.Undecryptable(kv.Key, e.Message, e);
        }
    }

    private StoreException WithCurrentRead(StoreException e) => new(e.Error, e.Message, Read(e.Current!), e);
}
