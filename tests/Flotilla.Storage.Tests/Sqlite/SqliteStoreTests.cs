using Flotilla.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Storage.Tests.Sqlite;

public sealed class SqliteStoreTests : StoreConformanceTests, IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new();

    private SqliteStoreOptions Options => new() { Path = _dir.File("state.db"), Time = _time };

    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(SqliteStore.Open(Options));

    protected override Task ExpireLeasesAsync(TimeSpan ttl)
    {
        _time.Advance(ttl + TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reopen_KeepsKeysRevisionsAndHistory()
    {
        var a = await Store.CreateAsync("/registry/cm/ns/a", V("a1"));
        var a2 = await Store.UpdateAsync("/registry/cm/ns/a", V("a2"), a.ModRevision);
        await Store.CreateAsync("/registry/cm/ns/b", V("b1"));
        var revision = await Store.GetCurrentRevisionAsync();
        await Store.DisposeAsync();

        await using var reopened = SqliteStore.Open(Options);

        Assert.Equal(revision, await reopened.GetCurrentRevisionAsync());
        Assert.Equal("a2", S(await reopened.GetAsync("/registry/cm/ns/a")));
        Assert.Equal("a1", S(await reopened.GetAsync("/registry/cm/ns/a", a.ModRevision)));
        var next = await reopened.UpdateAsync("/registry/cm/ns/a", V("a3"), a2.ModRevision);
        Assert.Equal(revision + 1, next.ModRevision);

        // History written before the restart is replayed from disk, then live changes follow.
        var events = await CollectAsync(reopened.WatchAsync("/registry/cm/", a.ModRevision), 3);
        Assert.Equal(["a2", "b1", "a3"], events.Select(e => S(e.Kv)));
        Assert.Equal("a1", S(events[0].PrevKv));
    }

    [Fact]
    public async Task Watch_OlderThanMemoryWindow_ReadsDurableHistory()
    {
        await Store.DisposeAsync();
        await using var store = SqliteStore.Open(Options with { EventLogCapacity = 5 });
        var first = await store.CreateAsync("/registry/cm/ns/k", V("0"));
        var last = first;
        for (var i = 1; i < 2500; i++)
        {
            last = await store.UpdateAsync("/registry/cm/ns/k", V($"{i}"), last.ModRevision);
        }

        var events = await CollectAsync(store.WatchAsync("/registry/cm/", first.ModRevision), 2499);
        Assert.Equal(Enumerable.Range(1, 2499).Select(i => $"{i}"), events.Select(e => S(e.Kv)));
        Assert.Equal(Enumerable.Range(0, 2499).Select(i => $"{i}"), events.Select(e => S(e.PrevKv)));
    }

    [Fact]
    public async Task GroupCommit_ConcurrentWriters_AllAcknowledgedWithDistinctRevisions()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
        {
            var mine = new List<KeyValue>();
            for (var i = 0; i < 20; i++)
            {
                mine.Add(await Store.CreateAsync($"/registry/cm/w{w}/k{i}", V($"{w}/{i}")));
            }

            return mine;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(64 * 20, all.Select(kv => kv.ModRevision).Distinct().Count());
        var listed = await Store.ListAsync("/registry/cm/", ListOptions.All);
        Assert.Equal(64 * 20, listed.Items.Count);
        Assert.Equal(all.Max(kv => kv.ModRevision), listed.Revision);
    }

    [Fact]
    public async Task Compaction_RunsOnItsInterval()
    {
        await Store.DisposeAsync();
        await using var store = SqliteStore.Open(Options with { CompactionInterval = TimeSpan.FromMinutes(5) });
        var v1 = await store.CreateAsync("/registry/cm/ns/a", V("1"));
        var v2 = await store.UpdateAsync("/registry/cm/ns/a", V("2"), v1.ModRevision);

        // The first interval records the current revision; the second compacts to it.
        for (var i = 0; i < 2; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(5));
            await Task.Delay(50);
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                await store.GetAsync("/registry/cm/ns/a", v1.ModRevision);
            }
            catch (StoreException e) when (e.Error == StoreError.Compacted)
            {
                break;
            }

            // 30 s a turn: when the store's timer loop started late (a busy machine), its intervals began after the
            // first advance above, and the next compaction is up to 5 minutes of fake time away.
            Assert.True(DateTime.UtcNow < deadline, "history was not compacted");
            _time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(50);
        }

        Assert.Equal("2", S(await store.GetAsync("/registry/cm/ns/a", v2.ModRevision)));
    }

    [Fact]
    public async Task Open_FileThatIsNotADatabase_FailsAsCorrupt()
    {
        await Store.DisposeAsync();
        var path = _dir.File("garbage.db");
        await File.WriteAllTextAsync(path, new string('x', 8192));

        var e = Assert.Throws<StoreException>(() => SqliteStore.Open(new SqliteStoreOptions { Path = path }));
        Assert.Equal(StoreError.Corrupt, e.Error);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_StoreFromNewerFormat_IsRefused()
    {
        await Store.DisposeAsync();
        using (var connection = new SqliteConnection($"Data Source={Options.Path};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE meta SET value = 99 WHERE name = 'format'";
            cmd.ExecuteNonQuery();
        }

        var e = Assert.Throws<StoreException>(() => SqliteStore.Open(Options));
        Assert.Equal(StoreError.Corrupt, e.Error);
        Assert.Contains("newer Flotilla", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_OtherSqliteDatabase_IsRefused()
    {
        await Store.DisposeAsync();
        var path = _dir.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "CREATE TABLE t (x INTEGER)";
            cmd.ExecuteNonQuery();
        }

        var e = Assert.Throws<StoreException>(() => SqliteStore.Open(new SqliteStoreOptions { Path = path }));
        Assert.Equal(StoreError.Corrupt, e.Error);
        Assert.Contains("not a Flotilla store", e.Message, StringComparison.Ordinal);
    }
}
