using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Flotilla.Storage.Etcd;

namespace Flotilla.Storage.Tests.Etcd;

public sealed class EtcdStoreTests(EtcdFixture etcd) : StoreConformanceTests, IClassFixture<EtcdFixture>
{
    protected override Task<IStore> CreateStoreAsync() => Task.FromResult<IStore>(etcd.CreateStore());

    [Fact]
    public async Task KeyPrefix_StoresSharingOneEtcd_DoNotSeeEachOthersKeys()
    {
        await using var other = etcd.CreateStore();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watch = Store.WatchAsync("/registry/cm/", 0, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        await Task.Delay(200);

        await other.CreateAsync("/registry/cm/ns/a", V("theirs"));
        var mine = await Store.CreateAsync("/registry/cm/ns/b", V("mine"));

        Assert.Equal(["/registry/cm/ns/b"], (await Store.ListAsync("/registry/cm/", ListOptions.All)).Items.Select(i => i.Key));
        Assert.Equal(["/registry/cm/ns/a"], (await other.ListAsync("/registry/cm/", ListOptions.All)).Items.Select(i => i.Key));
        Assert.Null(await Store.GetAsync("/registry/cm/ns/a"));
        Assert.True(await next);
        Assert.Equal("/registry/cm/ns/b", watch.Current.Kv.Key);
        Assert.Equal(mine.ModRevision, watch.Current.Revision);
    }

    [Fact]
    public async Task Watch_FutureRevision_FailsWithFutureRevision()
    {
        var current = await Store.GetCurrentRevisionAsync();
        var e = await Assert.ThrowsAsync<StoreException>(() => CollectAsync(Store.WatchAsync("/registry/cm/", current + 1000), 1));
        Assert.Equal(StoreError.FutureRevision, e.Error);
    }

    [Fact]
    public async Task Watch_FromJustBeforeCompactionRevision_FailsWithCompacted()
    {
        var v1 = await Store.CreateAsync("/registry/cm/ns/a", V("1"));
        var v2 = await Store.UpdateAsync("/registry/cm/ns/a", V("2"), v1.ModRevision);
        await Store.CompactAsync(v2.ModRevision);

        // etcd still holds the change at the compaction revision but not what came before it: as in every backend,
        // history starts after the compaction revision.
        var e = await Assert.ThrowsAsync<StoreException>(() => CollectAsync(Store.WatchAsync("/registry/cm/", v2.ModRevision - 1), 1));
        Assert.Equal(StoreError.Compacted, e.Error);
        var from = await Assert.ThrowsAsync<StoreException>(() => Store.GetAsync("/registry/cm/ns/a", v2.ModRevision - 1));
        Assert.Equal(StoreError.Compacted, from.Error);
        Assert.Equal("2", S(await Store.GetAsync("/registry/cm/ns/a", v2.ModRevision)));
    }

    [Fact]
    public async Task Dispose_EndsActiveWatchWithUnavailable()
    {
        var store = etcd.CreateStore();
        await using var watch = store.WatchAsync("/registry/cm/", 0).GetAsyncEnumerator();
        var next = watch.MoveNextAsync().AsTask();
        await Task.Delay(200);

        await store.DisposeAsync();

        var e = await Assert.ThrowsAsync<StoreException>(() => next.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(StoreError.Unavailable, e.Error);
    }

    [Fact]
    public async Task Watch_Cancelled_EndsWithoutStoreError()
    {
        using var cts = new CancellationTokenSource();
        await using var watch = Store.WatchAsync("/registry/cm/", 0, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        await Task.Delay(200);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public async Task Unreachable_Endpoint_FailsFastWithUnavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var url = $"http://127.0.0.1:{port}";
        await using var store = new EtcdStore(new EtcdStoreOptions { Endpoints = [url], RequestTimeout = TimeSpan.FromSeconds(2) });
        var clock = Stopwatch.StartNew();

        var get = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("/registry/pods/default/a"));
        var create = await Assert.ThrowsAsync<StoreException>(() => store.CreateAsync("/registry/pods/default/a", V("x")));
        var watch = await Assert.ThrowsAsync<StoreException>(() => CollectAsync(store.WatchAsync("/registry/pods/", 1), 1));

        Assert.All([get, create, watch], e => Assert.Equal(StoreError.Unavailable, e.Error));
        Assert.Contains(url, get.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
