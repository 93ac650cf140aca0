using System.Text;
using Flotilla.Storage.Sqlite;

namespace Flotilla.Storage.Tests.Sqlite;

public sealed class SqliteSnapshotsTests
{
    [Fact]
    public async Task Save_WhileTheStoreWrites_IsOneConsistentCopy_ThatRestoresPastEveryRevisionSeen()
    {
        using var dir = new TempDirectory();
        var database = dir.File("state.db");
        long saved;
        long last;
        await using (var store = SqliteStore.Open(new SqliteStoreOptions { Path = database }))
        {
            await store.CreateAsync("/registry/configmaps/ns/a", V("a1"));
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    await store.CreateAsync($"/registry/configmaps/ns/w-{i}", V("w"));
                }
            });
            while (await store.GetCurrentRevisionAsync() < 5)
            {
                await Task.Delay(5);
            }

            saved = SqliteSnapshots.Save(database, dir.File("snap.db"));
            await stop.CancelAsync();
            await writer;
            await store.DeleteAsync("/registry/configmaps/ns/a");
            last = await store.GetCurrentRevisionAsync();
        }

        Assert.Equal(saved, SqliteSnapshots.Check(dir.File("snap.db")));
        var restored = SqliteSnapshots.Restore(dir.File("snap.db"), database, ".old");

        Assert.Equal(last + SqliteSnapshots.RevisionBump, restored);
        Assert.True(File.Exists(database + ".old"));
        await using var back = SqliteStore.Open(new SqliteStoreOptions { Path = database });
        Assert.Equal("a1", Encoding.UTF8.GetString((await back.GetAsync("/registry/configmaps/ns/a"))!.Value));
        Assert.Equal(restored, await back.GetCurrentRevisionAsync());
        Assert.Equal(saved, (await back.ListAsync("/registry/configmaps/", new ListOptions())).Items.Count);

        // Reads and watches from before the restore are compacted away: clients list afresh.
        var e = await Assert.ThrowsAsync<StoreException>(() => back.GetAsync("/registry/configmaps/ns/a", last));
        Assert.Equal(StoreError.Compacted, e.Error);
        Assert.True((await back.CreateAsync("/registry/configmaps/ns/new", V("n"))).ModRevision > restored);
    }

    [Fact]
    public void Check_RefusesWhatIsNoSnapshot_AndSaveNeverOverwrites()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.txt"), "not a database");

        Assert.Equal(StoreError.NotFound, Assert.Throws<StoreException>(() => SqliteSnapshots.Check(dir.File("missing.db"))).Error);
        Assert.Contains("is not a Flotilla snapshot", Assert.Throws<StoreException>(() => SqliteSnapshots.Check(dir.File("notes.txt"))).Message, StringComparison.Ordinal);
        Assert.Equal(StoreError.KeyExists, Assert.Throws<StoreException>(() => SqliteSnapshots.Save(dir.File("notes.txt"), dir.File("notes.txt"))).Error);
    }

    private static byte[] V(string s) => Encoding.UTF8.GetBytes(s);
}
