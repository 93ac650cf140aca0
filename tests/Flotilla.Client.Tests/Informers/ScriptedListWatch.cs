using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Flotilla.Client.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Client.Tests.Informers;

/// <summary>
/// A list-watch the test drives: lists answer with the current <see cref="Items"/>; each watch is a channel the test
/// writes events to, ends (<see cref="EndWatch"/>) or breaks (<see cref="BreakWatch"/>). Records what was asked.
/// </summary>
internal sealed class ScriptedListWatch : IListWatch<V1ConfigMap>
{
    private readonly Channel<Channel<WatchEvent<V1ConfigMap>>> _watches = Channel.CreateUnbounded<Channel<WatchEvent<V1ConfigMap>>>();
    private Channel<WatchEvent<V1ConfigMap>>? _current;

    public List<V1ConfigMap> Items { get; set; } = [];

    public string ListResourceVersion { get; set; } = "10";

    public int Lists { get; private set; }

    public List<string> WatchedFrom { get; } = [];

    /// <summary>Answers the next watch with 410 Gone.</summary>
    public bool ExpireNextWatch { get; set; }

    public static V1ConfigMap Map(string name, string resourceVersion) =>
        new() { Metadata = new V1ObjectMeta { NamespaceProperty = "ns", Name = name, ResourceVersion = resourceVersion } };

    public Task<ListResult<V1ConfigMap>> ListAsync(CancellationToken cancellationToken)
    {
        Lists++;
        return Task.FromResult(new ListResult<V1ConfigMap>([.. Items], ListResourceVersion));
    }

    public async IAsyncEnumerable<WatchEvent<V1ConfigMap>> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        WatchedFrom.Add(resourceVersion);
        if (ExpireNextWatch)
        {
            ExpireNextWatch = false;
            throw new k8s.Autorest.HttpOperationException("gone")
            {
                Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.Gone), string.Empty),
            };
        }

        var events = Channel.CreateUnbounded<WatchEvent<V1ConfigMap>>();
        await _watches.Writer.WriteAsync(events, cancellationToken);
        await foreach (var e in events.Reader.ReadAllAsync(cancellationToken))
        {
            yield return e;
        }
    }

    /// <summary>Waits for the informer's next watch and makes it current, moving the clock past any back-off.</summary>
    public async Task NextWatchAsync(FakeTimeProvider time)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!_watches.Reader.TryRead(out _current))
        {
            Assert.True(DateTime.UtcNow < deadline, "the informer did not watch again");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }

    public void Send(WatchEventType type, V1ConfigMap map) => _current!.Writer.TryWrite(new WatchEvent<V1ConfigMap>(type, map));

    public void SendError(int code) => _current!.Writer.TryWrite(new WatchEvent<V1ConfigMap>(WatchEventType.Error, null, new V1Status { Code = code, Message = "too old resource version" }));

    public void EndWatch() => _current!.Writer.TryComplete();

    public void BreakWatch() => _current!.Writer.TryComplete(new IOException("connection reset"));
}
