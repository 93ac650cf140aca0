using Flotilla.Client.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Flotilla.Client.Tests.Informers.ScriptedListWatch;

namespace Flotilla.Client.Tests.Informers;

/// <summary>The informer's contract against a list-watch the test scripts: what each handler is told, and when it lists again.</summary>
public sealed class SharedInformerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedListWatch _source = new() { Items = [Map("a", "5"), Map("b", "6")] };
    private readonly CancellationTokenSource _stop = new();
    private readonly SharedInformer<V1ConfigMap> _informer;
    private Task _running = Task.CompletedTask;

    public SharedInformerTests()
    {
        _informer = new SharedInformer<V1ConfigMap>(_source, _time, NullLogger.Instance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }

    private async Task StartAsync()
    {
        _running = _informer.RunAsync(_stop.Token);
        await _informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await _source.NextWatchAsync(_time);
    }

    [Fact]
    public async Task Run_ListsThenWatchesFromTheListsVersion_AndTellsHandlersInOrder()
    {
        var log = new EventLog();
        var registration = _informer.AddEventHandler(log.Handler);
        await StartAsync();
        Assert.Equal(["10"], _source.WatchedFrom);

        _source.Send(WatchEventType.Added, Map("c", "11"));
        _source.Send(WatchEventType.Modified, Map("a", "12"));
        _source.Send(WatchEventType.Deleted, Map("b", "13"));
        var lines = await log.WaitForAsync(5);
        Assert.Equal(["add ns/a 5 initial", "add ns/b 6 initial", "add ns/c 11", "update ns/a 5->12", "delete ns/b 13"], lines.Order(StringComparer.Ordinal).Take(2).Concat(lines.Skip(2)));
        Assert.True(registration.HasSynced);
        Assert.Equal("12", _informer.Lister.Get("ns", "a")!.Metadata.ResourceVersion);
        Assert.Null(_informer.Lister.Get("ns", "b"));
    }

    [Fact]
    public async Task BrokenOrEndedWatch_ResumesFromTheLastVersionSeen_WithoutListing()
    {
        await StartAsync();
        _source.Send(WatchEventType.Added, Map("c", "11"));
        _source.BreakWatch();
        await _source.NextWatchAsync(_time);
        _source.Send(WatchEventType.Bookmark, new V1ConfigMap { Metadata = new V1ObjectMeta { ResourceVersion = "20" } });
        _source.EndWatch();
        await _source.NextWatchAsync(_time);
        Assert.Equal(["10", "11", "20"], _source.WatchedFrom);
        Assert.Equal(1, _source.Lists);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExpiredWatch_ListsAgain_AndTellsOnlyWhatChanged(bool asErrorEvent)
    {
        var log = new EventLog();
        _informer.AddEventHandler(log.Handler);
        await StartAsync();
        await log.WaitForAsync(2);

        // Meanwhile: a unchanged, b changed, c created, and (below) the informer's own d deleted.
        _source.Send(WatchEventType.Added, Map("d", "11"));
        await log.WaitForAsync(3);
        _source.Items = [Map("a", "5"), Map("b", "30"), Map("c", "31")];
        _source.ListResourceVersion = "40";
        if (asErrorEvent)
        {
            _source.SendError(410);
        }
        else
        {
            _source.ExpireNextWatch = true;
            _source.EndWatch();
        }

        await _source.NextWatchAsync(_time);
        var lines = await log.WaitForAsync(6);
        Assert.Equal(["update ns/b 6->30", "add ns/c 31", "delete ns/d 11"], lines.Skip(3));
        Assert.Equal(2, _source.Lists);
        Assert.Equal("40", _source.WatchedFrom[^1]);
    }

    [Fact]
    public async Task LateHandler_GetsTheCacheAsInitialAdds_ThenSyncs()
    {
        await StartAsync();
        var log = new EventLog();
        var registration = _informer.AddEventHandler(log.Handler);
        await registration.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["add ns/a 5 initial", "add ns/b 6 initial"], log.Lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Filter_TurnsUpdatesAcrossItsEdgeIntoAddsAndDeletes()
    {
        var log = new EventLog();
        _informer.AddEventHandler(log.Handler with { Filter = m => m.Data?.ContainsKey("keep") == true });
        await StartAsync();
        var kept = Map("a", "11");
        kept.Data = new Dictionary<string, string> { ["keep"] = "1" };
        _source.Send(WatchEventType.Modified, kept);
        _source.Send(WatchEventType.Modified, Map("a", "12"));
        _source.Send(WatchEventType.Modified, Map("b", "13"));
        Assert.Equal(["add ns/a 11", "delete ns/a 11"], await log.WaitForAsync(2));
    }

    [Fact]
    public async Task Resync_GivesEveryCachedObjectAsAnUpdate_OnlyToHandlersThatAskedForIt()
    {
        var resyncing = new EventLog();
        var quiet = new EventLog();
        _informer.AddEventHandler(resyncing.Handler, TimeSpan.FromSeconds(30));
        _informer.AddEventHandler(quiet.Handler);
        await StartAsync();
        await resyncing.WaitForAsync(2);
        for (var i = 0; i < 31; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(2);
        }

        var lines = await resyncing.WaitForAsync(4);
        Assert.Equal(["update ns/a 5->5", "update ns/b 6->6"], lines.Skip(2).Order(StringComparer.Ordinal));
        Assert.Equal(2, quiet.Lines.Count);
    }
}
