using Flotilla.Storage.Encryption;
using Flotilla.Storage.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Storage.Tests.Encryption;

/// <summary>The store contract still holds with every value encrypted (<c>*.*</c>): the decorator hides nothing and adds nothing.</summary>
public sealed class EncryptedStoreConformanceTests : StoreConformanceTests
{
    private static readonly EncryptionKey Key = new("key1", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
    private readonly FakeTimeProvider _time = new();

    protected override int LargestValueBytes =>
        StoreLimits.MaxValueBytes - EncryptionProviders.AesGcmPrefix.Length - "key1:".Length - AesGcmTransformer.NonceSize - AesGcmTransformer.TagSize;

    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new EncryptedStore(
        new MemoryStore(_time),
        new ResourceTransformers(new Dictionary<string, IValueTransformer>
        {
            ["/registry/"] = EncryptionProviders.Chain([EncryptionProviders.AesGcm([Key])]),
        })));

    protected override Task ExpireLeasesAsync(TimeSpan ttl)
    {
        _time.Advance(ttl + TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }
}
