using System.Text;

namespace Flotilla.Storage.Tests;

/// <summary>The contract's watch part: replay from a revision, live changes, resumption, order under concurrency.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Watch_FromRevision_ReplaysThenFollowsLiveChangesWithPreviousValues()
    {
        var a = await Store.CreateAsync("/registry/cm/ns/a", V("a1"));
        var a2 = await Store.UpdateAsync("/registry/cm/ns/a", V("a2"), a.ModRevision);
        await Store.CreateAsync("/registry/other/ns/x", V("x"));

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watch = Store.WatchAsync("/registry/cm/", a.ModRevision, cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(WatchEventType.Put, watch.Current.Type);
        Assert.Equal(a2.ModRevision, watch.Current.Revision);
        Assert.Equal("a2", S(watch.Current.Kv));
        Assert.Equal("a1", S(watch.Current.PrevKv));

        await Store.DeleteAsync("/registry/cm/ns/a");
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(WatchEventType.Delete, watch.Current.Type);
        Assert.Equal("/registry/cm/ns/a", watch.Current.Kv.Key);
        Assert.Equal("a2", S(watch.Current.PrevKv));

        var b = await Store.CreateAsync("/registry/cm/ns/b", V("b1"));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(b.ModRevision, watch.Current.Revision);
        Assert.Null(watch.Current.PrevKv);
        Assert.Equal(b.CreateRevision, watch.Current.Kv.CreateRevision);
    }

    [Fact]
    public async Task Watch_FromZero_DeliversOnlyNewChanges()
    {
        await Store.CreateAsync("/registry/cm/ns/old", V("old"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var watch = Store.WatchAsync("/registry/cm/", 0, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        await Task.Delay(200);  // give a backend time to register the watch before the write it must see
        var created = await Store.CreateAsync("/registry/cm/ns/new", V("new"));

        Assert.True(await next);
        Assert.Equal(created.ModRevision, watch.Current.Revision);
    }

    [Fact]
    public async Task Watch_ResumedFromAnyPastRevision_HasNoGapsOrDuplicates()
    {
        var revisions = new List<long>();
        var first = await Store.CreateAsync("/registry/cm/ns/k", V("0"));
        revisions.Add(first.ModRevision);
        var last = first;
        for (var i = 1; i < 30; i++)
        {
            last = await Store.UpdateAsync("/registry/cm/ns/k", V($"{i}"), last.ModRevision);
            revisions.Add(last.ModRevision);
        }

        for (var start = 0; start < revisions.Count; start += 7)
        {
            var from = revisions[start];
            var expected = revisions.Where(r => r > from).ToList();
            var seen = await CollectAsync(Store.WatchAsync("/registry/cm/", from), expected.Count);
            Assert.Equal(expected, seen.Select(e => e.Revision));
            Assert.All(seen, e => Assert.Equal($"{int.Parse(S(e.PrevKv), System.Globalization.CultureInfo.InvariantCulture) + 1}", S(e.Kv)));
        }
    }

    [Fact]
    public async Task Watch_ConcurrentWriters_DeliversEveryChangeInOrder()
    {
        var start = await Store.GetCurrentRevisionAsync();
        const int writers = 8, perWriter = 50;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var collect = CollectAsync(Store.WatchAsync("/registry/cm/", start, cts.Token), writers * perWriter);
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                await Store.CreateAsync($"/registry/cm/w{w}/k{i}", V($"{w}-{i}"));
            }
        })));

        var events = await collect;
        Assert.Equal(writers * perWriter, events.Select(e => e.Kv.Key).Distinct().Count());
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Revision < p.Second.Revision), "revisions out of order");
    }
}
