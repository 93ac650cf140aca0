using System.Text;

namespace Flotilla.Storage.Tests;

/// <summary>The etcd v3 contract every backend must keep; each backend's test class derives from this one.</summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private IStore? _store;

    protected IStore Store => _store ?? throw new InvalidOperationException("store not started");

    protected abstract Task<IStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected static byte[] V(string s) => Encoding.UTF8.GetBytes(s);

    protected static string S(KeyValue? kv) => kv is null ? "<null>" : Encoding.UTF8.GetString(kv.Value);

    [Fact]
    public async Task Create_NewKey_StoresValueAtNextRevision()
    {
        var before = await Store.GetCurrentRevisionAsync();
        var kv = await Store.CreateAsync("/registry/pods/default/a", V("one"));

        Assert.True(kv.ModRevision > before);
        Assert.Equal(kv.ModRevision, kv.CreateRevision);
        Assert.Equal(kv.ModRevision, await Store.GetCurrentRevisionAsync());
        var got = await Store.GetAsync("/registry/pods/default/a");
        Assert.Equal("one", S(got));
        Assert.Equal(kv.ModRevision, got!.ModRevision);
    }

    [Fact]
    public async Task Create_ExistingKey_FailsWithKeyExists()
    {
        await Store.CreateAsync("/registry/pods/default/a", V("one"));
        var e = await Assert.ThrowsAsync<StoreException>(() => Store.CreateAsync("/registry/pods/default/a", V("two")));
        Assert.Equal(StoreError.KeyExists, e.Error);
        Assert.Equal("one", S(await Store.GetAsync("/registry/pods/default/a")));
    }

    [Fact]
    public async Task Get_MissingKey_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync("/registry/pods/default/none"));
    }

    [Fact]
    public async Task Update_ExpectedRevision_ReplacesValueKeepsCreateRevision()
    {
        var created = await Store.CreateAsync("/registry/pods/default/a", V("one"));
        var updated = await Store.UpdateAsync("/registry/pods/default/a", V("two"), created.ModRevision);

        Assert.True(updated.ModRevision > created.ModRevision);
        Assert.Equal(created.CreateRevision, updated.CreateRevision);
        Assert.Equal("two", S(await Store.GetAsync("/registry/pods/default/a")));
    }

    [Fact]
    public async Task Update_StaleRevision_FailsWithConflictCarryingCurrent()
    {
        var created = await Store.CreateAsync("/registry/pods/default/a", V("one"));
        var updated = await Store.UpdateAsync("/registry/pods/default/a", V("two"), created.ModRevision);

        var e = await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync("/registry/pods/default/a", V("three"), created.ModRevision));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal(updated.ModRevision, e.Current?.ModRevision);
        Assert.Equal("two", S(e.Current));
        Assert.Equal("two", S(await Store.GetAsync("/registry/pods/default/a")));
    }

    [Fact]
    public async Task UpdateAndDelete_MissingKey_FailWithNotFound()
    {
        var u = await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync("/registry/pods/default/none", V("x"), 1));
        Assert.Equal(StoreError.NotFound, u.Error);
        var d = await Assert.ThrowsAsync<StoreException>(() => Store.DeleteAsync("/registry/pods/default/none"));
        Assert.Equal(StoreError.NotFound, d.Error);
    }

    [Fact]
    public async Task Delete_ReturnsPreviousValue_AndKeyIsGone()
    {
        var created = await Store.CreateAsync("/registry/pods/default/a", V("one"));
        var prev = await Store.DeleteAsync("/registry/pods/default/a");

        Assert.Equal("one", S(prev));
        Assert.Equal(created.ModRevision, prev.ModRevision);
        Assert.Null(await Store.GetAsync("/registry/pods/default/a"));
        Assert.True(await Store.GetCurrentRevisionAsync() > created.ModRevision);
    }

    [Fact]
    public async Task Delete_StaleRevision_FailsWithConflict()
    {
        var created = await Store.CreateAsync("/registry/pods/default/a", V("one"));
        await Store.UpdateAsync("/registry/pods/default/a", V("two"), created.ModRevision);

        var e = await Assert.ThrowsAsync<StoreException>(() => Store.DeleteAsync("/registry/pods/default/a", created.ModRevision));
        Assert.Equal(StoreError.Conflict, e.Error);
        Assert.Equal("two", S(await Store.GetAsync("/registry/pods/default/a")));
    }

    [Fact]
    public async Task Writes_GetStrictlyIncreasingRevisions()
    {
        long last = 0;
        for (var i = 0; i < 20; i++)
        {
            var kv = await Store.CreateAsync($"/registry/cm/ns/k{i:D2}", V($"{i}"));
            Assert.True(kv.ModRevision > last);
            last = kv.ModRevision;
        }
    }

    [Fact]
    public async Task Get_AtPastRevision_ReturnsValueAsOfThen()
    {
        var v1 = await Store.CreateAsync("/registry/pods/default/a", V("one"));
        var v2 = await Store.UpdateAsync("/registry/pods/default/a", V("two"), v1.ModRevision);
        await Store.DeleteAsync("/registry/pods/default/a");

        Assert.Equal("one", S(await Store.GetAsync("/registry/pods/default/a", v1.ModRevision)));
        Assert.Equal("two", S(await Store.GetAsync("/registry/pods/default/a", v2.ModRevision)));
        Assert.Null(await Store.GetAsync("/registry/pods/default/a"));
        Assert.Null(await Store.GetAsync("/registry/pods/default/a", v1.ModRevision - 1));
    }

    [Fact]
    public async Task Get_FutureRevision_Fails()
    {
        var kv = await Store.CreateAsync("/registry/pods/default/a", V("one"));
        var e = await Assert.ThrowsAsync<StoreException>(() => Store.GetAsync("/registry/pods/default/a", kv.ModRevision + 1000));
        Assert.Equal(StoreError.FutureRevision, e.Error);
    }

    [Fact]
    public async Task List_Prefix_ReturnsOnlyThatPrefixInKeyOrder()
    {
        await Store.CreateAsync("/registry/pods/ns/b", V("b"));
        await Store.CreateAsync("/registry/pods/ns/a", V("a"));
        await Store.CreateAsync("/registry/podsx/ns/c", V("c"));
        await Store.CreateAsync("/registry/pod/ns/d", V("d"));
        var last = await Store.CreateAsync("/registry/pods/other/c", V("c2"));

        var result = await Store.ListAsync("/registry/pods/", ListOptions.All);

        Assert.Equal(["/registry/pods/ns/a", "/registry/pods/ns/b", "/registry/pods/other/c"], result.Items.Select(i => i.Key));
        Assert.Equal(last.ModRevision, result.Revision);
        Assert.False(result.HasMore);
        Assert.Equal(["a", "b", "c2"], result.Items.Select(S));
    }

    [Fact]
    public async Task List_Pages_StayConsistentUnderConcurrentWrites()
    {
        for (var i = 0; i < 10; i++)
        {
            await Store.CreateAsync($"/registry/cm/ns/k{i}", V($"v{i}"));
        }

        var first = await Store.ListAsync("/registry/cm/", new ListOptions(Limit: 4));
        Assert.Equal(4, first.Items.Count);
        Assert.True(first.HasMore);

        // Writes between pages must not show up in later pages of the same list.
        await Store.UpdateAsync("/registry/cm/ns/k7", V("changed"), (await Store.GetAsync("/registry/cm/ns/k7"))!.ModRevision);
        await Store.DeleteAsync("/registry/cm/ns/k8");
        await Store.CreateAsync("/registry/cm/ns/k55", V("new"));

        var all = new List<KeyValue>(first.Items);
        var page = first;
        while (page.HasMore)
        {
            page = await Store.ListAsync("/registry/cm/", new ListOptions(first.Revision, 4, page.NextKey));
            Assert.Equal(first.Revision, page.Revision);
            all.AddRange(page.Items);
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"/registry/cm/ns/k{i}"), all.Select(i => i.Key));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}"), all.Select(S));

        var latest = await Store.ListAsync("/registry/cm/", ListOptions.All);
        Assert.Equal(10, latest.Items.Count);
        Assert.Contains(latest.Items, i => i.Key == "/registry/cm/ns/k55");
        Assert.Equal("changed", S(latest.Items.Single(i => i.Key == "/registry/cm/ns/k7")));
    }

    [Fact]
    public async Task List_AtPastRevision_ReturnsThatSnapshot()
    {
        await Store.CreateAsync("/registry/cm/ns/a", V("a1"));
        var b = await Store.CreateAsync("/registry/cm/ns/b", V("b1"));
        var at = b.ModRevision;
        await Store.UpdateAsync("/registry/cm/ns/b", V("b2"), b.ModRevision);
        await Store.DeleteAsync("/registry/cm/ns/a");
        await Store.CreateAsync("/registry/cm/ns/c", V("c1"));

        var past = await Store.ListAsync("/registry/cm/", new ListOptions(at));

        Assert.Equal(at, past.Revision);
        Assert.Equal(["a1", "b1"], past.Items.Select(S));
    }

    [Fact]
    public async Task ConcurrentGuardedUpdates_ExactlyOneWinnerPerRevision()
    {
        var kv = await Store.CreateAsync("/registry/cm/ns/counter", V("0"));
        for (var round = 0; round < 5; round++)
        {
            var expected = kv.ModRevision;
            var attempts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            {
                try
                {
                    return await Store.UpdateAsync("/registry/cm/ns/counter", V($"{round}-{i}"), expected);
                }
                catch (StoreException e) when (e.Error == StoreError.Conflict)
                {
                    return null;
                }
            })));

            var winners = attempts.Where(a => a is not null).ToList();
            Assert.Single(winners);
            kv = winners[0]!;
            Assert.Equal(S(kv), S(await Store.GetAsync("/registry/cm/ns/counter")));
        }
    }

    [Fact]
    public async Task Compact_OlderReadsAndWatchesFailWithCompacted()
    {
        var v1 = await Store.CreateAsync("/registry/cm/ns/a", V("1"));
        var v2 = await Store.UpdateAsync("/registry/cm/ns/a", V("2"), v1.ModRevision);
        var v3 = await Store.UpdateAsync("/registry/cm/ns/a", V("3"), v2.ModRevision);
        var other = await Store.CreateAsync("/registry/cm/ns/b", V("b"));
        await Store.UpdateAsync("/registry/cm/ns/a", V("4"), v3.ModRevision);

        await Store.CompactAsync(v3.ModRevision);

        var get = await Assert.ThrowsAsync<StoreException>(() => Store.GetAsync("/registry/cm/ns/a", v1.ModRevision));
        Assert.Equal(StoreError.Compacted, get.Error);
        var list = await Assert.ThrowsAsync<StoreException>(() => Store.ListAsync("/registry/cm/", new ListOptions(v1.ModRevision)));
        Assert.Equal(StoreError.Compacted, list.Error);
        var watch = await Assert.ThrowsAsync<StoreException>(() => CollectAsync(Store.WatchAsync("/registry/cm/", v1.ModRevision), 1));
        Assert.Equal(StoreError.Compacted, watch.Error);

        // The compaction revision itself and everything after it are still readable.
        Assert.Equal("3", S(await Store.GetAsync("/registry/cm/ns/a", v3.ModRevision)));
        Assert.Equal("b", S(await Store.GetAsync("/registry/cm/ns/b", other.ModRevision)));
        Assert.Equal("4", S(await Store.GetAsync("/registry/cm/ns/a")));
        var events = await CollectAsync(Store.WatchAsync("/registry/cm/", v3.ModRevision), 2);
        Assert.Equal(["b", "4"], events.Select(e => S(e.Kv)));
    }

    [Fact]
    public async Task Values_UpToLimitAccepted_LargerRejected()
    {
        var big = new byte[LargestValueBytes];
        Random.Shared.NextBytes(big);
        var kv = await Store.CreateAsync("/registry/cm/ns/big", big);
        Assert.Equal(big, (await Store.GetAsync("/registry/cm/ns/big"))!.Value);

        var e = await Assert.ThrowsAsync<StoreException>(() => Store.CreateAsync("/registry/cm/ns/huge", new byte[LargestValueBytes + 1]));
        Assert.Equal(StoreError.ValueTooLarge, e.Error);
        var u = await Assert.ThrowsAsync<StoreException>(() => Store.UpdateAsync("/registry/cm/ns/big", new byte[LargestValueBytes + 1], kv.ModRevision));
        Assert.Equal(StoreError.ValueTooLarge, u.Error);
        Assert.Null(await Store.GetAsync("/registry/cm/ns/huge"));
    }

    [Fact]
    public async Task Lease_Revoked_DeletesAttachedKeysWithEvents()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromMinutes(5));
        var a = await Store.CreateAsync("/registry/events/ns/a", V("a"), lease);
        await Store.CreateAsync("/registry/events/ns/b", V("b"), lease);
        await Store.CreateAsync("/registry/events/ns/c", V("c"));
        Assert.Equal(lease, a.Lease);

        await Store.RevokeLeaseAsync(lease);

        Assert.Null(await Store.GetAsync("/registry/events/ns/a"));
        Assert.Null(await Store.GetAsync("/registry/events/ns/b"));
        Assert.NotNull(await Store.GetAsync("/registry/events/ns/c"));
        var events = await CollectAsync(Store.WatchAsync("/registry/events/", a.ModRevision), 4);
        var deletes = events.Skip(2).ToList();
        Assert.All(deletes, e => Assert.Equal(WatchEventType.Delete, e.Type));
        Assert.Equal(["a", "b"], deletes.Select(e => S(e.PrevKv)).Order());
    }

    [Fact]
    public async Task Lease_Expired_DeletesAttachedKeys()
    {
        var lease = await Store.GrantLeaseAsync(TimeSpan.FromSeconds(2));
        await Store.CreateAsync("/registry/events/ns/short", V("x"), lease);
        Assert.NotNull(await Store.GetAsync("/registry/events/ns/short"));

        await ExpireLeasesAsync(TimeSpan.FromSeconds(2));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await Store.GetAsync("/registry/events/ns/short") is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "leased key still present 15 s after its lease expired");
            await Task.Delay(100);
        }
    }

    /// <summary>The largest value the store accepts: the limit, less what a store that transforms values adds to them.</summary>
    protected virtual int LargestValueBytes => StoreLimits.MaxValueBytes;

    /// <summary>Lets <paramref name="ttl"/> pass for the store's leases (a fake clock where the backend has one).</summary>
    protected virtual Task ExpireLeasesAsync(TimeSpan ttl) => Task.Delay(ttl);

    protected static async Task<List<WatchEvent>> CollectAsync(IAsyncEnumerable<WatchEvent> watch, int count)
    {
        var events = new List<WatchEvent>();
        if (count == 0)
        {
            return events;
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in watch.WithCancellation(cts.Token))
        {
            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
