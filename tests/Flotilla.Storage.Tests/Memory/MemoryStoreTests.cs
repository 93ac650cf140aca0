using Flotilla.Storage.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Storage.Tests.Memory;

public sealed class MemoryStoreTests : StoreConformanceTests
{
    private readonly FakeTimeProvider _time = new();

    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(new MemoryStore(_time));

    protected override Task ExpireLeasesAsync(TimeSpan ttl)
    {
        _time.Advance(ttl + TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }
}
