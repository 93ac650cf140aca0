using System.Text;
using Flotilla.Storage.Memory;
using Flotilla.Storage.Snapshots;
using Flotilla.Storage.Sqlite;
using Flotilla.Storage.Tests.Etcd;

namespace Flotilla.Storage.Tests.Snapshots;

public sealed class StoreCopyTests(EtcdFixture etcd) : IClassFixture<EtcdFixture>
{
    [Fact]
    public async Task Copy_TheClusterStateOfOneRevision_PageByPage_WithoutEventsOrMasterLeases()
    {
        await using var from = new MemoryStore();
        await using var to = new MemoryStore();
        for (var i = 0; i < 1203; i++)
        {
            await from.CreateAsync($"/registry/configmaps/ns/cm-{i:D5}", V($"value {i}"));
        }

        await from.CreateAsync("/registry/events/ns/e1", V("event"), await from.GrantLeaseAsync(TimeSpan.FromHours(1)));
        await from.CreateAsync("/registry/masterleases/192.0.2.1", V("lease"));
        await from.CreateAsync("/elsewhere/k", V("not cluster state"));

        var (keys, revision) = await StoreCopy.CopyAsync(from, to);

        Assert.Equal(1203, keys);
        Assert.Equal(await from.GetCurrentRevisionAsync(), revision);
        var copied = await to.ListAsync("/", new ListOptions());
        Assert.Equal(1203, copied.Items.Count);
        Assert.Equal("value 1202", Encoding.UTF8.GetString((await to.GetAsync("/registry/configmaps/ns/cm-01202"))!.Value));
    }

    [Fact]
    public async Task Copy_RefusesATargetThatHoldsClusterState()
    {
        await using var from = new MemoryStore();
        await using var to = new MemoryStore();
        await to.CreateAsync("/registry/namespaces/default", V("{}"));

        var e = await Assert.ThrowsAsync<StoreException>(() => StoreCopy.CopyAsync(from, to));

        Assert.Equal(StoreError.KeyExists, e.Error);
        Assert.Contains("copy into an empty store", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEtcdsState_SavedToASnapshotFile_RestoresIntoAnotherEtcd()
    {
        using var dir = new TempDirectory();
        await using var source = etcd.CreateStore();
        await source.CreateAsync("/registry/secrets/ns/s", V("k8s:enc:aesgcm:v1:key1:opaque"));
        await source.CreateAsync("/registry/pods/ns/p", V("{\"kind\":\"Pod\"}"));
        var deleted = await source.CreateAsync("/registry/pods/ns/gone", V("{}"));
        await source.DeleteAsync("/registry/pods/ns/gone", deleted.ModRevision);

        await using (var file = SqliteStore.Open(new SqliteStoreOptions { Path = dir.File("snap.db") }))
        {
            Assert.Equal(2, (await StoreCopy.CopyAsync(source, file)).Keys);
        }

        Assert.True(SqliteSnapshots.Check(dir.File("snap.db")) > 0);
        await using var snapshot = SqliteStore.Open(new SqliteStoreOptions { Path = dir.File("snap.db") });
        await using var target = etcd.CreateStore();
        await StoreCopy.CopyAsync(snapshot, target);

        Assert.Equal(["/registry/pods/ns/p", "/registry/secrets/ns/s"], (await target.ListAsync("/registry/", new ListOptions())).Items.Select(kv => kv.Key));
        Assert.Equal("k8s:enc:aesgcm:v1:key1:opaque", Encoding.UTF8.GetString((await target.GetAsync("/registry/secrets/ns/s"))!.Value));
    }

    private static byte[] V(string s) => Encoding.UTF8.GetBytes(s);
}
