using System.Collections.Concurrent;
using Flotilla.Client.Informers;
using k8s.Models;

namespace Flotilla.Client.Tests.Informers;

/// <summary>A handler that writes what it is told as lines (<c>add ns/a 11</c>, <c>update ns/a 11-&gt;12</c>, <c>delete ns/a 12</c>).</summary>
internal sealed class EventLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ResourceEventHandler<V1ConfigMap> Handler => new()
    {
        OnAdd = (m, initial) => _lines.Enqueue($"add {Key(m)} {m.Metadata.ResourceVersion}{(initial ? " initial" : string.Empty)}"),
        OnUpdate = (o, n) => _lines.Enqueue($"update {Key(n)} {o.Metadata.ResourceVersion}->{n.Metadata.ResourceVersion}"),
        OnDelete = m => _lines.Enqueue($"delete {Key(m)} {m.Metadata.ResourceVersion}"),
    };

    public IReadOnlyList<string> Lines => [.. _lines];

    public async Task<IReadOnlyList<string>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_lines.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} events, got: {string.Join(", ", _lines)}");
            await Task.Delay(5);
        }

        return Lines;
    }

    private static string Key(V1ConfigMap m) => $"{m.Metadata.NamespaceProperty}/{m.Metadata.Name}";
}
