using System.Collections.Concurrent;
using Flotilla.Client.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Client.Tests.Informers;

/// <summary>
/// Informers against a real API server (SQLite, 127.0.0.1) while a writer creates, updates and deletes ConfigMaps at
/// random and the test breaks the informer's watches: the cache converges to the server, and handlers are told each
/// change once, in order, never twice.
/// </summary>
public sealed class InformerStormTests : IAsyncLifetime
{
    private const int Keys = 25;
    private const int Writes = 400;
    private const int SmallWatchCache = 40;

    private TestApiServer _server = null!;
    private Kubernetes _client = null!;
    private int _written;
    private long _lastRevision;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task StartServerAsync(int watchCacheSize = 10_000)
    {
        _server = await TestApiServer.StartAsync(watchCacheSize: watchCacheSize);
        _client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString() });
    }

    [Fact]
    public async Task DroppedWatches_ResumeWithoutLosingOrRepeatingAnyChange()
    {
        await StartServerAsync();
        var ns = await NamespaceAsync("storm-drops");
        var chaos = new ChaosListWatch<V1ConfigMap>(new ResourceListWatch<V1ConfigMap>(_client, new InformerOptions { Namespace = ns }), new Random(7));
        var (informer, handler, stop, running) = await StartAsync(chaos);
        var writes = await StormAsync(ns, new Random(11));

        var expected = writes.Count;
        await WaitAsync(() => handler.Count >= expected && CacheMatches(informer, ns), () => $"{handler.Count}/{expected} events; missing: {string.Join(", ", writes.Except(handler.Events).Take(8))}");
        await stop.CancelAsync();
        await running;

        // Every write was seen exactly once: a resumed watch neither skips nor repeats.
        Assert.Equal(expected, handler.Count);
        Assert.Equal(writes.Order(StringComparer.Ordinal), handler.Events.Order(StringComparer.Ordinal));
        Assert.Empty(handler.Violations);
        Assert.Equal(1, chaos.Lists);
        Assert.True(chaos.Drops > 10, $"only {chaos.Drops} forced drops");
    }

    [Fact]
    public async Task ExpiredWatches_Relist_AndHandlersStayConsistent()
    {
        await StartServerAsync(SmallWatchCache);
        var ns = await NamespaceAsync("storm-expiry");

        // A late watch resumes only after more writes than the server's watch cache keeps and a compaction of the
        // store's history: the server answers 410, as it does to a client that was away too long.
        async Task LagAsync(CancellationToken cancellationToken)
        {
            var until = Volatile.Read(ref _written) + SmallWatchCache + 5;
            while (Volatile.Read(ref _written) < until && Volatile.Read(ref _written) < Writes)
            {
                await Task.Delay(10, cancellationToken);
            }

            await _server.CompactAsync(Volatile.Read(ref _lastRevision));
        }

        var chaos = new ChaosListWatch<V1ConfigMap>(new ResourceListWatch<V1ConfigMap>(_client, new InformerOptions { Namespace = ns }), new Random(3), expireChance: 0.3, LagAsync);
        var (informer, handler, stop, running) = await StartAsync(chaos);
        await StormAsync(ns, new Random(5));

        await WaitAsync(() => CacheMatches(informer, ns) && handler.Matches(informer), () => $"violations: {string.Join(", ", handler.Violations.Take(5))}");
        await stop.CancelAsync();
        await running;
        Assert.True(chaos.Lists > 1, "no relist happened");
        Assert.Empty(handler.Violations);
    }

    private async Task<string> NamespaceAsync(string name)
    {
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static async Task<(SharedInformer<V1ConfigMap>, ConsistencyChecker, CancellationTokenSource, Task)> StartAsync(IListWatch<V1ConfigMap> source)
    {
        var informer = new SharedInformer<V1ConfigMap>(source, TimeProvider.System, NullLogger.Instance);
        var handler = new ConsistencyChecker();
        informer.AddEventHandler(handler.Handler);
        var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForCacheSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return (informer, handler, stop, running);
    }

    /// <summary>Random creates, updates and deletes; returns each write as the event it must produce.</summary>
    private async Task<List<string>> StormAsync(string ns, Random random)
    {
        var live = new Dictionary<string, string>();
        var writes = new List<string>();
        for (var i = 0; i < Writes; i++)
        {
            var name = "cm-" + random.Next(Keys);
            if (!live.TryGetValue(name, out var rv))
            {
                var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["i"] = $"{i}" } }, ns);
                live[name] = created.Metadata.ResourceVersion;
                Volatile.Write(ref _lastRevision, long.Parse(created.Metadata.ResourceVersion));
                writes.Add($"add {name} {created.Metadata.ResourceVersion}");
            }
            else if (random.Next(3) > 0)
            {
                var changed = await _client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch($$$"""{"data":{"i":"{{{i}}}"}}""", V1Patch.PatchType.MergePatch), name, ns);
                live[name] = changed.Metadata.ResourceVersion;
                Volatile.Write(ref _lastRevision, long.Parse(changed.Metadata.ResourceVersion));
                writes.Add($"update {name} {rv}->{changed.Metadata.ResourceVersion}");
            }
            else
            {
                await _client.CoreV1.DeleteNamespacedConfigMapAsync(name, ns);
                live.Remove(name);
                writes.Add($"delete {name}");
            }

            Interlocked.Increment(ref _written);
        }

        return writes;
    }

    private bool CacheMatches(SharedInformer<V1ConfigMap> informer, string ns)
    {
        var server = _client.CoreV1.ListNamespacedConfigMap(ns).Items.Where(m => m.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal))
            .ToDictionary(m => m.Metadata.Name, m => m.Metadata.ResourceVersion);
        var cached = informer.Lister.List(ns).Where(m => m.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal))
            .ToDictionary(m => m.Metadata.Name, m => m.Metadata.ResourceVersion);
        return server.Count == cached.Count && server.All(kv => cached.GetValueOrDefault(kv.Key) == kv.Value);
    }

    private static async Task WaitAsync(Func<bool> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not converged: " + what());
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Replays what a handler is told and checks each event against the state it was told before: an add for an
    /// object it does not know, an update or delete whose old state is the one it last saw, versions that only grow.
    /// </summary>
    private sealed class ConsistencyChecker
    {
        private readonly ConcurrentQueue<string> _events = new();
        private readonly Dictionary<string, string> _seen = [];

        public List<string> Violations { get; } = [];

        public int Count => _events.Count;

        public IEnumerable<string> Events => _events;

        public ResourceEventHandler<V1ConfigMap> Handler => new()
        {
            Filter = m => m.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal),
            OnAdd = (m, _) => Record("add", null, m),
            OnUpdate = (o, n) => Record("update", o, n),
            OnDelete = m => Record("delete", m, null),
        };

        public bool Matches(SharedInformer<V1ConfigMap> informer)
        {
            lock (_seen)
            {
                var cached = informer.Indexer.List().Where(m => m.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal)).ToList();
                return cached.Count == _seen.Count && cached.All(m => _seen.GetValueOrDefault(m.Metadata.Name) == m.Metadata.ResourceVersion);
            }
        }

        private void Record(string kind, V1ConfigMap? old, V1ConfigMap? @new)
        {
            var name = (old ?? @new)!.Metadata.Name;
            lock (_seen)
            {
                var known = _seen.GetValueOrDefault(name);
                switch (kind)
                {
                    case "add" when known is not null:
                    case "update" when known != old!.Metadata.ResourceVersion || long.Parse(@new!.Metadata.ResourceVersion) <= long.Parse(known):
                    case "delete" when known is null:
                        Violations.Add($"{kind} {name} while it was at {known ?? "absent"}");
                        break;
                }

                if (@new is null)
                {
                    _seen.Remove(name);
                    _events.Enqueue($"delete {name}");
                }
                else
                {
                    _seen[name] = @new.Metadata.ResourceVersion;
                    _events.Enqueue(old is null ? $"add {name} {@new.Metadata.ResourceVersion}" : $"update {name} {old.Metadata.ResourceVersion}->{@new.Metadata.ResourceVersion}");
                }
            }
        }
    }
}
